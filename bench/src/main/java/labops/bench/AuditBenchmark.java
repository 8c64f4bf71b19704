package labops.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.schemas.topic.Topics;
import labops.testsupport.Processes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The audit log appending one tenant's decisions, and verifying the tenant's whole log:
 * {@code ./labops bench audit [entries=1000000] [warm-up=200000] [log=10000000]}. Writes {@code log} decisions of one
 * tenant to {@code labops.audit.decisions} as services do (keyed by message id, so over every partition), starts
 * audit-service, lets it append the warm-up (start-up, the JIT), times the next {@code entries} (entries per second,
 * and CPU of audit-service and of PostgreSQL per entry), lets it append the rest, then restarts it with a 96 MB heap
 * and times {@code verify} of the tenant's log, {@code log} entries: a heap that small holds a fraction of a percent
 * of them, so the verify that completes is one that streams.
 */
public final class AuditBenchmark {

    private static final List<String> SMALL_HEAP = List.of("-Xmx96m", "-XX:+UseG1GC");

    private AuditBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        long total = args.length > 2 ? Long.parseLong(args[2]) : 10_000_000L;
        if (warmUp + entries > total) {
            throw new IllegalArgumentException("log must hold the warm-up and the measured entries");
        }
        try (var stack = new BenchStack(); var lag = new ConsumerLag(stack.bootstrapServers())) {
            long writeStart = System.nanoTime();
            write(stack.bootstrapServers(), total);
            System.out.printf("backlog: %,d decisions of %s on %s in %.0f s; the first %,d to warm up, the next %,d "
                            + "measured%n", total, BenchStack.TENANT, Topics.AUDIT_DECISIONS,
                    (System.nanoTime() - writeStart) / 1e9, warmUp, entries);

            var audit = stack.startService("audit-service", Map.of());
            awaitLag(lag, total - warmUp);
            var cpuBefore = stack.cpu();
            var machine = CpuTimes.now();
            long start = System.nanoTime();
            awaitLag(lag, total - warmUp - entries);
            double seconds = (System.nanoTime() - start) / 1e9;
            var cpuAfter = stack.cpu();
            double auditCpu = cpuSeconds(cpuBefore, cpuAfter, "audit-service");
            double postgresCpu = cpuSeconds(cpuBefore, cpuAfter, "postgres");
            double kafkaCpu = cpuSeconds(cpuBefore, cpuAfter, "kafka");
            System.out.printf("%naudit appends, one tenant: %,d entries in %.1f s: %,.0f entries/s; CPU per entry: "
                            + "audit-service %.1f µs (%.2f cores), PostgreSQL %.1f µs (%.2f cores), broker %.1f µs; "
                            + "%.1f%% of the machine's CPU time stolen; JVM %s; %d cores%n", entries, seconds,
                    entries / seconds, auditCpu * 1e6 / entries, auditCpu / seconds, postgresCpu * 1e6 / entries,
                    postgresCpu / seconds, kafkaCpu * 1e6 / entries, CpuTimes.now().stealPercentSince(machine),
                    BenchStack.JVM, Runtime.getRuntime().availableProcessors());

            long restStart = System.nanoTime();
            awaitLag(lag, 0);
            System.out.printf("the remaining %,d appended in %.0f s (%,.0f entries/s)%n", total - warmUp - entries,
                    (System.nanoTime() - restStart) / 1e9,
                    (total - warmUp - entries) / ((System.nanoTime() - restStart) / 1e9));
            // Heads go out every 10 s once entries commit: let the last round publish before the restart.
            Processes.pause(Duration.ofSeconds(12));
            stack.stopService("audit-service");

            var verifier = stack.startService("audit-service", Map.of(), SMALL_HEAP);
            String token = stack.staffToken();
            long verifyStart = System.nanoTime();
            var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + verifier.port() + "/api/tenants/" + BenchStack.TENANT + "/audit/verify"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
            System.out.printf("%nverify of %s's log (%,d entries) with audit-service's heap capped at 96 MB: %.1f s "
                            + "(%,.0f entries/s), peak resident memory of the process %s; answer %d: %s%n",
                    BenchStack.TENANT, total, verifySeconds, total / verifySeconds, peakResident(verifier.pid()),
                    answer.statusCode(), answer.body());
            if (audit.pid() == verifier.pid()) {
                throw new IllegalStateException("the verifier must be a new process");
            }
        }
    }

    /** One tenant's decisions as services publish them: keyed by the message they concern. */
    private static void write(String bootstrap, long total) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer())) {
            String at = Instant.now().toString();
            for (long i = 0; i < total; i++) {
                String message = UUID.randomUUID().toString();
                String action = i % 3 == 0 ? "task.created" : "raw.normalized";
                String value = "{\"action\":\"" + action + "\",\"outcome\":\"success\",\"tenantId\":\""
                        + BenchStack.TENANT + "\",\"environment\":\"sandbox\",\"messageId\":\"" + message
                        + "\",\"eventId\":\"" + UUID.randomUUID() + "\",\"detail\":\"LabOrderEvent " + UUID.randomUUID()
                        + ", PatientEvent " + UUID.randomUUID() + "\",\"actor\":\"bench\",\"occurredAt\":\"" + at
                        + "\"}";
                producer.send(new ProducerRecord<>(Topics.AUDIT_DECISIONS, message, value));
            }
            producer.flush();
        }
    }

    private static void awaitLag(ConsumerLag lag, long atMost) throws Exception {
        while (lag.of("audit", Topics.AUDIT_DECISIONS) > atMost) {
            Processes.pause(Duration.ofMillis(100));
        }
    }

    private static double cpuSeconds(Map<String, Duration> before, Map<String, Duration> after, String process) {
        Duration from = before.getOrDefault(process, Duration.ZERO);
        return after.getOrDefault(process, from).minus(from).toNanos() / 1e9;
    }

    /** The process's peak resident set ({@code VmHWM}), as Linux reports it. */
    private static String peakResident(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:")).map(line -> line.substring(6).trim()).findFirst()
                    .orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
