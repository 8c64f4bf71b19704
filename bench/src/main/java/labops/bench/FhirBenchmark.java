package labops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The FHIR intake under load: {@code ./labops bench fhir [clients=8] [seconds=30] [warmup=60]}. Each client posts
 * transaction Bundles of one Patient and one ServiceRequest (a new placer number each) one after another, every
 * answer checked for {@code 200} with a transaction-response; prints accepted Bundles per second and latency
 * percentiles, and ingress's peak heap (the largest occupancy before a collection, from its GC log). Each Bundle is
 * validated against base R4 and stored in Kafka before it is answered; an answer other than 200 (a 503 when every
 * validator stayed busy) is a failure.
 */
public final class FhirBenchmark {

    private static final String BUNDLE = """
            {"resourceType": "Bundle", "type": "transaction", "entry": [
              {"fullUrl": "urn:uuid:%1$s",
               "resource": {"resourceType": "Patient",
                 "identifier": [{"system": "https://ehr.bench-hospital.example/mrn", "value": "MRN-%3$s"}],
                 "name": [{"family": "Bench", "given": ["Patient"]}], "birthDate": "1970-01-01"},
               "request": {"method": "POST", "url": "Patient"}},
              {"fullUrl": "urn:uuid:%2$s",
               "resource": {"resourceType": "ServiceRequest", "status": "active", "intent": "order", "priority": "routine",
                 "identifier": [{"system": "https://ehr.bench-hospital.example/orders", "value": "PON-%3$s"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
                 "subject": {"reference": "urn:uuid:%1$s"}, "authoredOn": "2026-11-25T08:25:00Z"},
               "request": {"method": "POST", "url": "ServiceRequest"}}]}""";

    private FhirBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        // A minute: after 20 s of Bundles the JIT compiler still took a fifth of ingress's CPU (the validator is a
        // large body of code), so a shorter warm-up measures compilation rather than the intake.
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 60);
        try (var stack = new BenchStack()) {
            Path gcLog = stack.log("ingress-gc");
            var jvm = new ArrayList<>(BenchStack.JVM);
            jvm.add("-Xlog:gc:file=" + gcLog);
            var ingress = stack.startService("ingress-service", Map.of(
                    "LABOPS_SECURITY_CLIENTSECRET", "bench-ingress-secret"), jvm);
            String base = "http://127.0.0.1:" + ingress.port() + "/fhir/" + BenchStack.TENANT + "/sandbox";
            String token = stack.clientToken();
            drive(base, token, clients, warmup, new Histogram(60_000_000L, 3));
            var latencies = new Histogram(60_000_000L, 3);
            long start = System.nanoTime();
            long[] counts = drive(base, token, clients, duration, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("FHIR transaction Bundles (Patient + ServiceRequest), %d clients, %d s; JVM %s; %d cores%n",
                    clients, duration.toSeconds(), BenchStack.JVM, Runtime.getRuntime().availableProcessors());
            System.out.println("| clients | accepted | p50 | p99 | p99.9 | failures | peak heap |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.printf("| %d | %,.0f Bundles/s | %.2f ms | %.2f ms | %.2f ms | %d | %d MB |%n", clients,
                    counts[0] / seconds, latencies.getValueAtPercentile(50) / 1000.0,
                    latencies.getValueAtPercentile(99) / 1000.0, latencies.getValueAtPercentile(99.9) / 1000.0, counts[1],
                    peakHeapMegabytes(gcLog));
        }
    }

    /** The largest heap occupancy a collection found, over the whole run: "Pause Young (Normal) ... 301M->120M(512M)". */
    static long peakHeapMegabytes(Path gcLog) throws IOException {
        Matcher before = Pattern.compile(" (\\d+)M->\\d+M\\(").matcher(Files.readString(gcLog));
        long peak = 0;
        while (before.find()) {
            peak = Math.max(peak, Long.parseLong(before.group(1)));
        }
        return peak;
    }

    /** {accepted, failed}: every client posts until {@code duration} is over, recording each answer's latency. */
    private static long[] drive(String base, String token, int clients, Duration duration, Histogram into)
            throws InterruptedException {
        var accepted = new AtomicLong();
        var failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            var histogram = new Histogram(60_000_000L, 3);
            histograms.add(histogram);
            var thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    String id = UUID.randomUUID().toString();
                    var request = HttpRequest.newBuilder(URI.create(base))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/fhir+json")
                            .POST(HttpRequest.BodyPublishers.ofString(BUNDLE.formatted(UUID.randomUUID(),
                                    UUID.randomUUID(), id))).build();
                    long sent = System.nanoTime();
                    try {
                        var answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200 && answer.body().contains("transaction-response")) {
                            histogram.recordValue(Math.min((System.nanoTime() - sent) / 1000, 59_999_999L));
                            accepted.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        histograms.forEach(into::add);
        return new long[] {accepted.get(), failed.get()};
    }
}
