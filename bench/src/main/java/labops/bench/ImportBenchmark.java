package labops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Checking a large import: {@code ./labops bench import [rows=100000] [heap=64m] [csv|xlsx]}. Writes a file of that many
 * order rows (a tenth of them invalid), uploads it once to warm up and once measured to an ingress whose heap is
 * capped at {@code heap} (smaller than what the file's rows would take if held), and prints rows checked and stored
 * per second (each row checked against the tenant's mapping profile by a running normalizer and against existing
 * orders by a running workflow, a page of 500 rows per call) and ingress's peak heap during the measured upload (its Prometheus {@code jvm_memory_used_bytes} for
 * the heap, sampled every 50 ms).
 */
public final class ImportBenchmark {

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)");

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        var jvm = List.of("-Xmx" + (args.length > 1 ? args[1] : "64m"), "-XX:+UseG1GC");
        boolean xlsx = args.length > 2 && args[2].equalsIgnoreCase("xlsx");
        Path file = xlsx ? workbook(rows) : write(rows);
        try (var stack = new BenchStack()) {
            // Rows are checked against the mapping profile (normalizer) and existing orders (workflow) at upload.
            var normalizer = stack.startService("normalizer-service", Map.of());
            var workflow = stack.startService("workflow-service", Map.of());
            var ingress = stack.startService("ingress-service", Map.of(
                    "LABOPS_SECURITY_CLIENTSECRET", "bench-ingress-secret",
                    "LABOPS_INGRESS_NORMALIZERURL", "http://127.0.0.1:" + normalizer.port(),
                    "LABOPS_INGRESS_WORKFLOWURL", "http://127.0.0.1:" + workflow.port()), jvm);
            String base = "http://127.0.0.1:" + ingress.port();
            String token = stack.clientToken();
            upload(base, token, file);
            var peak = new AtomicLong();
            var sampler = new Thread(() -> sample(base, peak));
            sampler.setDaemon(true);
            sampler.start();
            long start = System.nanoTime();
            String answer = upload(base, token, file);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            System.out.printf("%s import of %,d rows (%.1f MB), ingress JVM %s; %d cores%n", xlsx ? "XLSX" : "CSV", rows,
                    Files.size(file) / 1048576.0, jvm, Runtime.getRuntime().availableProcessors());
            System.out.println("| rows | checked and stored | wall time | peak heap used | answer |");
            System.out.println("|---|---|---|---|---|");
            System.out.printf("| %,d | %,.0f rows/s | %.1f s | %,.0f MB | %s |%n", rows, rows / seconds, seconds,
                    peak.get() / 1048576.0, answer.replaceAll("\\s+", " "));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Path write(int rows) throws IOException {
        Path file = Files.createTempFile("labops-bench-import-", ".csv");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("order_number,mrn,family_name,given_name,birth_date,sex,tests,priority,notes\r\n");
            for (int i = 0; i < rows; i++) {
                boolean bad = i % 10 == 9;
                out.write("PON-" + i + ",MRN-" + (i % 5000) + ",Müller,\"Anna, Maria\"," + (bad ? "1970-13-01" : "1970-01-01")
                        + ",F,2345-7|718-7,routine,\"Fasting since midnight, please call\"\r\n");
            }
        }
        return file;
    }

    /** The same rows as an XLSX workbook, written with POI's streaming writer; birth dates as date cells. */
    private static Path workbook(int rows) throws IOException {
        Path file = Files.createTempFile("labops-bench-import-", ".xlsx");
        try (var workbook = new org.apache.poi.xssf.streaming.SXSSFWorkbook(100);
             var out = Files.newOutputStream(file)) {
            var sheet = workbook.createSheet("Orders");
            var dates = workbook.createCellStyle();
            dates.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd"));
            String[] header = {"order_number", "mrn", "family_name", "given_name", "birth_date", "sex", "tests",
                    "priority", "notes"};
            var first = sheet.createRow(0);
            for (int c = 0; c < header.length; c++) {
                first.createCell(c).setCellValue(header[c]);
            }
            for (int i = 0; i < rows; i++) {
                var row = sheet.createRow(i + 1);
                String[] values = {"PON-" + i, "MRN-" + (i % 5000), "Müller", "Anna, Maria", null, "F", "2345-7|718-7",
                        "routine", "Fasting since midnight, please call"};
                for (int c = 0; c < values.length; c++) {
                    if (c == 4) {
                        var cell = row.createCell(c);
                        if (i % 10 == 9) {
                            cell.setCellValue("1970-13-01");
                        } else {
                            cell.setCellValue(java.time.LocalDate.of(1970, 1, 1));
                            cell.setCellStyle(dates);
                        }
                    } else {
                        row.createCell(c).setCellValue(values[c]);
                    }
                }
            }
            workbook.write(out);
        }
        return file;
    }

    private static String upload(String base, String token, Path file) throws Exception {
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/imports/"
                        + BenchStack.TENANT + "/sandbox?fileName=" + file.getFileName()))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body().replaceAll(".*(\"rows\":\\d+,\"valid\":\\d+,\"invalid\":\\d+).*", "$1");
    }

    private static void sample(String base, AtomicLong peak) {
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                var matcher = HEAP.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                long used = 0;
                while (matcher.find()) {
                    used += (long) Double.parseDouble(matcher.group(1));
                }
                peak.accumulateAndGet(used, Math::max);
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // A missed sample only lowers the resolution.
            }
        }
    }
}
