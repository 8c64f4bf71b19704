package labops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JVM's CPU time since it was created, by kind of thread (Linux: {@code /proc/<pid>/task/<tid>/stat}, in ticks of
 * 10 ms). A per-CPU-second figure counts the JIT's compilation and the collector with the work itself; on a slow
 * machine the JIT is still compiling well after a fixed warm-up, so the benchmark says how much of the time was which.
 * {@link #sample()} often: a thread that ends (the JVM stops compiler threads it no longer needs) keeps the time it
 * had at its last sample.
 */
final class ThreadCpu {

    enum Kind {
        LISTENER("listener"), KAFKA_IO("Kafka I/O"), JIT("JIT compiler"), GC("collector"), OTHER("other");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String threadName) {
            if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
                return JIT;
            }
            if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
                return GC;
            }
            if (threadName.startsWith("kafka-")) {
                return KAFKA_IO;
            }
            // The kernel keeps a name's first 15 characters: spring-kafka's consumer threads, named after a container
            // without an id ("org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1"), or with one.
            if (threadName.startsWith("org.springframe") || threadName.startsWith("KafkaListenerEn")) {
                return LISTENER;
            }
            return OTHER;
        }
    }

    private record Thread(Kind kind, long ticks) {
    }

    private final long pid;
    private final Map<String, Thread> start;
    private final Map<String, Thread> latest = new HashMap<>();

    ThreadCpu(long pid) {
        this.pid = pid;
        sample();
        this.start = Map.copyOf(latest);
    }

    void sample() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    latest.put(task.getFileName().toString(),
                            new Thread(Kind.of(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
                } catch (IOException | RuntimeException e) {
                    // ended between the listing and the read: it keeps its last sample
                }
            });
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process has ended: nothing more to add
        }
    }

    /** CPU milliseconds by kind since this was created, up to the last {@link #sample()}. */
    Map<Kind, Long> millisByKind() {
        var millis = new EnumMap<Kind, Long>(Kind.class);
        for (Kind kind : Kind.values()) {
            millis.put(kind, 0L);
        }
        latest.forEach((tid, thread) -> {
            Thread before = start.get(tid);
            long ticks = thread.ticks - (before == null ? 0 : before.ticks);
            millis.merge(thread.kind, ticks * 10, Long::sum);
        });
        return millis;
    }

    /** "listener 73%, Kafka I/O 14%, …" of the time since this was created. */
    String shares() {
        var millis = millisByKind();
        long total = Math.max(1, millis.values().stream().mapToLong(Long::longValue).sum());
        var text = new StringBuilder();
        millis.forEach((kind, ms) -> text.append(text.isEmpty() ? "" : ", ")
                .append(String.format("%s %.0f%%", kind.label, 100.0 * ms / total)));
        return text.toString();
    }
}
