package labops.bench;

import java.time.Duration;
import java.util.Map;
import labops.schemas.topic.Topics;
import labops.testsupport.Processes;

/**
 * The normalizer working through a backlog, exactly-once, on a real broker and registry:
 * {@code ./labops bench normalizer [messages=200000] [warm-up=100000]}. Writes the warm-up and the measured backlog
 * first, then starts the normalizer (benchmark JVM), lets it work through the warm-up (start-up and the JIT's
 * compilation, which would otherwise be counted against the first hundred thousand messages) and times the measured
 * backlog until its committed offsets reach the end; reports messages per second and per CPU-second, and how that
 * CPU time divides between the listener, Kafka's I/O, the JIT's compiler and the collector.
 */
public final class NormalizerBenchmark {

    private NormalizerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (var stack = new BenchStack(); var lag = new ConsumerLag(stack.bootstrapServers())) {
            new RawFeed().write(stack.bootstrapServers(), BenchStack.TENANT, warmUp + messages, 5_000);
            System.out.printf("backlog: %,d ORM^O01 on %s, the first %,d to warm up%n", warmUp + messages,
                    Topics.RAW_HL7V2, warmUp);
            var normalizer = stack.startService("normalizer-service", Map.of());
            long remaining;
            do {
                Processes.pause(Duration.ofMillis(20));
                remaining = lag.of("normalizer", Topics.RAW_HL7V2);
            } while (remaining > messages);
            long measured = remaining;
            long cpuStart = MllpLoad.cpuMillis(normalizer.pid());
            var threads = new ThreadCpu(normalizer.pid());
            var machine = CpuTimes.now();
            long start = System.nanoTime();
            do {
                Processes.pause(Duration.ofMillis(100));
                threads.sample();
                remaining = lag.of("normalizer", Topics.RAW_HL7V2);
            } while (remaining > 0);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (MllpLoad.cpuMillis(normalizer.pid()) - cpuStart) / 1000.0;
            threads.sample();
            double jitSeconds = threads.millisByKind().get(ThreadCpu.Kind.JIT) / 1000.0;
            System.out.printf("%nnormalizer: %,d ORM^O01 (each a PatientEvent and two LabOrderEvents) after %,d to "
                            + "warm up, exactly-once: %.1f s, %,.0f msg/s wall, %,.0f msg per CPU-second of the "
                            + "normalizer; %.1f%% of the machine's CPU time stolen by the hypervisor; JVM %s; "
                            + "%d cores%n  its CPU time by thread: %s; without the JIT's compilation %,.0f msg per "
                            + "CPU-second%n", measured, warmUp + messages - measured, seconds, measured / seconds,
                    measured / cpuSeconds, CpuTimes.now().stealPercentSince(machine), BenchStack.JVM,
                    Runtime.getRuntime().availableProcessors(), threads.shares(),
                    measured / Math.max(0.001, cpuSeconds - jitSeconds));
        }
    }
}
