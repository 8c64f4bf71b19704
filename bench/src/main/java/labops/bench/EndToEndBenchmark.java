package labops.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Ports;
import labops.testsupport.Processes;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The whole pipeline at a steady offered rate: {@code ./labops bench e2e [rates=500,1000] [seconds=60] [warm-up=0]}. Every
 * service runs (benchmark JVM); orders go in over MLLP on 8 connections at the offered rate (open loop: each send is
 * scheduled, ACKs checked); a read_committed consumer of {@code labops.canonical.orders} reports the latency from
 * ingress receipt to the canonical event committed, and each consumer group's lag is sampled as it goes. Each window
 * also splits that latency's tail where it arises: the MLLP ACK's latency at the sender (ingress and the raw topic),
 * and a read_uncommitted consumer's latency to the event appended (the normalizer), the rest being its transaction's
 * commit.
 */
public final class EndToEndBenchmark {

    private static final int CONNECTIONS = 8;
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = java.util.Arrays.stream((args.length > 0 ? args[0] : "500,1000").split(","))
                .map(Integer::parseInt).toList();
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60);
        // JIT warm-up at the first rate, printed but left out of the summary.
        Duration warmUp = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 0);
        String template = Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\r").replace('\n', '\r');
        var summary = new ArrayList<String>();
        try (var stack = new BenchStack(); var lag = new ConsumerLag(stack.bootstrapServers())) {
            stack.startService("ingress-service", Map.of("LABOPS_SECURITY_CLIENTSECRET", "bench-ingress-secret"));
            for (String module : List.of("normalizer-service", "workflow-service", "audit-service")) {
                stack.startService(module, Map.of());
            }
            BenchStack.awaitListening(stack.ordersPort());
            var latency = new Latencies(new Latency(), new Latency(), new Latency());
            var running = new AtomicBoolean(true);
            var readers = List.of(
                    new Thread(() -> read(stack, "read_committed", latency.committed(), running), "e2e-committed"),
                    new Thread(() -> read(stack, "read_uncommitted", latency.appended(), running), "e2e-appended"));
            readers.forEach(Thread::start);
            if (!warmUp.isZero()) {
                System.out.println("warm-up:");
                run(stack, lag, latency, template, rates.get(0), warmUp);
                // While the JVMs compile, ingress acknowledges a fraction of the offered rate and the open-loop senders
                // catch up afterwards; what that leaves in the consumers' queues is start-up, not the steady state the
                // measured part is about. So the warm-up goes on (up to as long again) until every group is within a
                // second of the offered rate.
                long cap = System.nanoTime() + warmUp.toNanos();
                while (backlog(lag) > rates.get(0) && System.nanoTime() < cap) {
                    run(stack, lag, latency, template, rates.get(0), WINDOW);
                }
                System.out.printf("measured (every group's lag %,d at its start):%n", backlog(lag));
            }
            for (int rate : rates) {
                summary.add(run(stack, lag, latency, template, rate, duration));
            }
            running.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        System.out.printf("%nEnd to end: MLLP in (%d connections, offered open-loop), every service running, "
                + "latency from ingress receipt to LabOrderEvent committed (read_committed); JVM %s; %d cores%n",
                CONNECTIONS, BenchStack.JVM, Runtime.getRuntime().availableProcessors());
        System.out.println("| offered | acknowledged | e2e p50 | e2e p99 | p99 MLLP ACK | p99 appended (read_uncommitted) "
                + "| lag at end (normalizer / workflow / audit) | consumed/s (same groups) "
                + "| CPU by service: cores, µs per message | CPU stolen by the hypervisor |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        summary.forEach(System.out::println);
    }

    /** From ingress receipt to the event committed and to it appended; from send to ACK at the sender. */
    private record Latencies(Latency committed, Latency appended, Latency ack) {

        void restart() {
            committed.restart();
            appended.restart();
            ack.restart();
        }
    }

    /** One latency, recorded from any thread: per window, and over the run that the windows make up. */
    private static final class Latency {

        private static final long MAX_MICROS = 60_000_000L;

        private final Recorder recorder = new Recorder(MAX_MICROS, 3);
        private Histogram run = new Histogram(MAX_MICROS, 3);

        void record(long micros) {
            recorder.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
        }

        /** Forgets what was recorded before this run. */
        void restart() {
            recorder.getIntervalHistogram();
            run = new Histogram(MAX_MICROS, 3);
        }

        /** What was recorded since the last window, also counted in the run's. */
        Histogram window() {
            var window = recorder.getIntervalHistogram();
            run.add(window);
            return window;
        }

        double p99Millis() {
            return run.getValueAtPercentile(99) / 1000.0;
        }

        double p50Millis() {
            return run.getValueAtPercentile(50) / 1000.0;
        }
    }

    private static String run(BenchStack stack, ConsumerLag lag, Latencies latency, String template, int rate,
                              Duration duration) throws Exception {
        var acked = new AtomicLong();
        var failed = new AtomicLong();
        var cpu = CpuTimes.now();
        var progress = new GroupProgress(lag);
        var servicesCpu = stack.cpu();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long interval = 1_000_000_000L * CONNECTIONS / rate;
        // Each run's own control ids: a repeated MSH-10 is a copy, acknowledged but normalized nowhere.
        String runId = UUID.randomUUID().toString().substring(0, 6);
        var senders = new ArrayList<Thread>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int connection = c;
            var sender = new Thread(() -> send(stack.ordersPort(), template, runId, connection, start + connection
                    * interval / CONNECTIONS, interval, end, acked, failed, latency.ack()), "e2e-sender-" + c);
            sender.start();
            senders.add(sender);
        }
        latency.restart();
        long lastAcked = 0;
        while (System.nanoTime() < end) {
            Processes.pause(WINDOW);
            var window = latency.committed().window();
            var ackWindow = latency.ack().window();
            var appendedWindow = latency.appended().window();
            long now = acked.get();
            var lags = progress.sample();
            System.out.printf("offered %d/s: acked %,d/s, e2e p50 %.0f ms p99 %.0f ms (p99 ACK %.1f ms, appended %.0f ms), "
                            + "lag normalizer %,d workflow %,d audit %,d, failures %d%n", rate,
                    (now - lastAcked) / WINDOW.toSeconds(), window.getValueAtPercentile(50) / 1000.0,
                    window.getValueAtPercentile(99) / 1000.0,
                    ackWindow.getValueAtPercentile(99) / 1000.0, appendedWindow.getValueAtPercentile(99) / 1000.0,
                    lags.get("normalizer"), lags.get("workflow"), lags.get("audit"), failed.get());
            lastAcked = now;
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var lags = progress.sample();
        var consumed = progress.consumedPerSecond(seconds);
        String cpuByService = cpuByService(servicesCpu, stack.cpu(), seconds, acked.get());
        System.out.printf("offered %d/s over %.0f s: consumed/s %s; CPU by service %s%n", rate, seconds,
                rates(consumed), cpuByService);
        // A lag still growing means a queue: its percentiles describe how long the queue is, not the service.
        String notSteady = progress.notSteady(rate);
        String p50 = notSteady == null ? String.format("%.0f ms", latency.committed().p50Millis()) : notSteady;
        String p99 = notSteady == null ? String.format("%.0f ms", latency.committed().p99Millis()) : "(not steady)";
        return String.format("| %,d msg/s for %d s | %,.0f msg/s | %s | %s | %.1f ms | %.0f ms "
                        + "| %,d / %,d / %,d | %s | %s | %.1f%% |", rate,
                duration.toSeconds(), acked.get() / seconds, p50, p99, latency.ack().p99Millis(),
                latency.appended().p99Millis(), lags.get("normalizer"), lags.get("workflow"), lags.get("audit"),
                rates(consumed), cpuByService,
                CpuTimes.now().stealPercentSince(cpu));
    }

    private static String rates(Map<String, Double> consumed) {
        return String.join(" / ", consumed.values().stream().map(r -> String.format("%,.0f", r)).toList());
    }

    /** Cores each service used during the run, and its CPU time per acknowledged message. */
    private static String cpuByService(Map<String, Duration> before, Map<String, Duration> after, double seconds,
                                       long messages) {
        var parts = new ArrayList<String>();
        after.forEach((module, used) -> {
            long nanos = Math.max(0, used.minus(before.getOrDefault(module, Duration.ZERO)).toNanos());
            parts.add(String.format("%s %.2f, %.0f µs", module.replace("-service", ""), nanos / 1e9 / seconds,
                    messages == 0 ? 0 : nanos / 1e3 / messages));
        });
        return String.join("; ", parts);
    }

    /** Every group's lag, summed. */
    private static long backlog(ConsumerLag lag) throws ExecutionException, InterruptedException {
        return GroupProgress.lags(lag).values().stream().mapToLong(Long::longValue).sum();
    }

    /** One connection's share of the offered rate, each send at its scheduled time (or at once when behind). */
    private static void send(int port, String template, String runId, int connection, long first, long interval,
                             long end, AtomicLong acked, AtomicLong failed, Latency ackLatency) {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            var out = socket.getOutputStream();
            var in = MllpLoad.reader(socket);
            long next = first;
            for (long n = 0; next < end; n++, next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String control = "E2E-" + runId + "-" + connection + "-" + n;
                String message = template.replace("MSG-ORM-0001", control).replace("MRN-100234", "MRN-" + (n % 997))
                        .replace("PON-1001", "P" + control + "A").replace("PON-1002", "P" + control + "B");
                long sent = System.nanoTime();
                if (MllpLoad.exchange(out, in, message).contains("MSA|AA|" + control)) {
                    ackLatency.record((System.nanoTime() - sent) / 1000);
                    acked.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }
        } catch (IOException e) {
            failed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Latency from receipt of every order event, as an independent consumer at this isolation level sees it. */
    private static void read(BenchStack stack, String isolation, Latency latency, AtomicBoolean running) {
        var avro = new ConfluentAvroReader(stack.registryConfluentUrl());
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-bench-" + Ports.free(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.CANONICAL_ORDERS));
            while (running.get()) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    GenericRecord event = avro.decode(record.value());
                    long receivedAt = (Long) ((GenericRecord) event.get("source")).get("receivedAt");
                    latency.record((System.currentTimeMillis() - receivedAt) * 1000);
                }
            }
        }
    }
}
