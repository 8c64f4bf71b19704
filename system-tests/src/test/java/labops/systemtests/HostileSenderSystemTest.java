package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import labops.schemas.CanonicalHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Ordinary senders keep sending orders over MLLP, HL7 over HTTP and REST while a hostile source, in turn, sends
 * control characters in every field, a reused control id with new content, a frame over the limit, a large result
 * with an embedded report, hundreds of idle sockets, slowloris frames, and HTTP bodies that are chunked or decode past
 * the limit. Each hostile input gets its precise answer and is counted; afterwards every message the ordinary senders
 * were told AA or 2xx for is a canonical event exactly once, and every consumer group has consumed everything.
 *
 * <p>The hostile sources are other loopback addresses (127.0.0.2 to .4), so the per-source caps they meet are theirs.
 * The system runs with the default 10 MB message limit ({@link LabOpsSystem#MAX_MESSAGE_BYTES}): the frame over it is
 * 10 MB and more, the result with a report 9 MB, followed from the socket to the hospital's webhook.
 */
// After the intake tests (which look for their own refusals on the shared DLT by reason) and before
// NormalizerExactlyOnceSystemTest: the instance it kills leaves a transaction open for up to a minute, which holds every
// read_committed consumer of the canonical topics at that point until the broker aborts it.
@Order(5)
class HostileSenderSystemTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    @Test
    void ordinarySendersLoseNothingWhileAHostileSourceTriesEverything() throws Exception {
        var system = LabOpsSystem.get();
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        Map<String, Double> metricsBefore = metrics(system);
        var ordinary = new OrdinarySenders(system, token);
        ordinary.start();
        try {
            controlCharactersInEveryField(system);
            aReusedControlIdWithNewContent(system);
            aFrameOverTheLimitAndAResultWithAnEmbeddedReport(system);
            idleSocketsAndSlowlorisFrames(system);
            httpBodiesPastTheLimit(system, token);
        } finally {
            ordinary.stop();
        }

        assertThat(ordinary.failures).as("the ordinary senders were never refused").isEmpty();
        assertThat(ordinary.accepted).hasSizeGreaterThan(30);
        // What was acknowledged in all: the ordinary orders, and the one hostile order told AA (its reuse was not).
        var acknowledged = new java.util.HashSet<>(ordinary.accepted);
        acknowledged.addAll(List.of("PON-REUSE-A-" + RUN, "PON-REUSE-B-" + RUN));
        var avro = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        var counts = Eventually.await("every acknowledged order a canonical event", Duration.ofSeconds(60), () -> {
            var seen = new HashMap<String, Integer>();
            for (var record : KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                    Topics.CANONICAL_ORDERS)) {
                var placer = (GenericRecord) avro.decode(record.value()).get("placerOrderNumber");
                String number = placer == null ? "" : placer.get("value").toString();
                if (number.contains(RUN)) {
                    seen.merge(number, 1, Integer::sum);
                }
            }
            return seen.keySet().containsAll(acknowledged) ? Optional.of(seen) : Optional.empty();
        });
        assertThat(counts.keySet()).as("nothing but what was acknowledged").containsExactlyInAnyOrderElementsOf(
                acknowledged);
        assertThat(counts.values()).as("each exactly once").allMatch(n -> n == 1);
        Map<String, Long> left = Map.of();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; ) {
            left = ConsumerGroups.ALL.stream().collect(java.util.stream.Collectors.toMap(group -> group,
                    ConsumerGroups::unconsumed));
            if (left.values().stream().allMatch(n -> n == 0)) {
                break;
            }
            Thread.sleep(1_000);
        }
        assertThat(left).as("records each consumer group has yet to consume, 30 s after the senders stopped")
                .allSatisfy((group, n) -> assertThat(n).as(group).isZero());

        Map<String, Double> after = metrics(system);
        // Which cap closes a connection depends on when the ones refused before it are gone (a refused connection
        // counts against its source until it is closed), so the caps are counted together.
        String closed = "labops_ingress_mllp_connections_closed_total{reason=\"";
        assertThat(delta(metricsBefore, after, closed + "source-connection-limit\"}")
                + delta(metricsBefore, after, closed + "tenant-connection-limit\"}")
                + delta(metricsBefore, after, closed + "frame-timeout\"}"))
                .as("the idle sockets closed at connect and every slowloris connection").isGreaterThanOrEqualTo(484 + 20);
        assertThat(delta(metricsBefore, after, closed + "frame-timeout\"}")).as("slowloris frames timed out")
                .isGreaterThanOrEqualTo(1);
        assertThat(delta(metricsBefore, after, "outcome=\"refused\"")).as("refusals counted")
                .isGreaterThanOrEqualTo(controlCharacterMessages + 4);
    }

    private int controlCharacterMessages;

    /** Each field of an order, in turn, carries a C0 control character: AE naming a field, never echoing the byte. */
    private void controlCharactersInEveryField(LabOpsSystem system) throws IOException {
        String order = new String(sample("orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1);
        char[] controls = {0x00, 0x01, 0x07, 0x08, 0x1B, 0x1F};
        try (var socket = connect(system.ordersPort(), "127.0.0.2")) {
            int field = 0;
            // Past MSH-1 and MSH-2 (the delimiters themselves): every field separator opens a field to poison.
            for (int at = order.indexOf('|', 9); at >= 0; at = order.indexOf('|', at + 1), field++) {
                String id = "HOSTILE-CC-" + RUN + "-" + field;
                String poisoned = order.replace("MSG-ORM-0001", id);
                int offset = poisoned.indexOf('|', 9);
                for (int i = 0; i < field; i++) {
                    offset = poisoned.indexOf('|', offset + 1);
                }
                poisoned = poisoned.substring(0, offset + 1) + controls[field % controls.length]
                        + poisoned.substring(offset + 1);
                String ack = exchange(socket, poisoned.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(ack).as("field %d", field).contains("MSA|AE|").contains("holds control character 0x");
                assertThat(ack.chars().filter(c -> c < 0x20 && c != '\r')).as("the ACK echoes no control byte").isEmpty();
                controlCharacterMessages++;
            }
        }
        assertThat(controlCharacterMessages).isGreaterThan(40);
    }

    /** The same MSH-10 with other content: AE naming MSH-10 (HL7 error 205); the original's content again: a copy. */
    private void aReusedControlIdWithNewContent(LabOpsSystem system) throws IOException {
        String id = "HOSTILE-REUSE-" + RUN;
        byte[] first = sample("orm-o01-v23.hl7", "MSG-ORM-0001", id, "PON-1001", "PON-REUSE-A-" + RUN,
                "PON-1002", "PON-REUSE-B-" + RUN);
        byte[] other = new String(first, StandardCharsets.ISO_8859_1).replace("2345-7^Glucose", "2951-2^Sodium")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (var socket = connect(system.ordersPort(), "127.0.0.2")) {
            assertThat(exchange(socket, first)).contains("MSA|AA|" + id);
            assertThat(exchange(socket, other)).contains("MSA|AE|" + id).contains("205^Duplicate key identifier")
                    .contains("MSH-10 (message control id) was used");
            assertThat(exchange(socket, first)).contains("MSA|AA|" + id);
        }
    }

    /** A frame over the limit: AR saying so, for good. A result with a report within it: AA, and a canonical result. */
    private void aFrameOverTheLimitAndAResultWithAnEmbeddedReport(LabOpsSystem system) throws Exception {
        String big = "HOSTILE-BIG-" + RUN;
        byte[] oversize = (new String(sample("orm-o01-v23.hl7", "MSG-ORM-0001", big), StandardCharsets.ISO_8859_1)
                + "NTE|1||" + "x".repeat(LabOpsSystem.MAX_MESSAGE_BYTES) + "\r").getBytes(StandardCharsets.ISO_8859_1);
        String report = "HOSTILE-ED-" + RUN;
        // Base64 makes 4 bytes of 3: a 6.9 MB report is a 9.2 MB message.
        byte[] pdf = new byte[LabOpsSystem.MAX_MESSAGE_BYTES * 66 / 100];
        new java.util.Random(3).nextBytes(pdf);
        byte[] result = (new String(sample("oru-r01.hl7", "MSG-ORU-0001", report), StandardCharsets.ISO_8859_1).trim()
                + "\rOBX|2|ED|11502-2^Laboratory report^LN||LIS^application^pdf^Base64^"
                + Base64.getEncoder().encodeToString(pdf) + "||||||F\r").getBytes(StandardCharsets.ISO_8859_1);
        try (var socket = connect(system.ordersPort(), "127.0.0.2")) {
            assertThat(exchange(socket, oversize)).contains("MSA|AR|" + big).contains("the limit (10 MB)")
                    .contains("sending it again will not help");
        }
        try (var socket = connect(system.resultsPort(), "127.0.0.2")) {
            assertThat(exchange(socket, result)).contains("MSA|AA|" + report);
        }
        var raw = Eventually.await("the result on the raw topic", Duration.ofSeconds(30), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_HL7V2).stream()
                .filter(r -> new String(r.value(), StandardCharsets.ISO_8859_1).contains("|" + report + "|")).findFirst());
        String messageId = header(raw, RawHeaders.MESSAGE_ID);
        var event = Eventually.await("the canonical result", Duration.ofSeconds(60), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.CANONICAL_RESULTS).stream()
                .filter(r -> messageId.equals(header(r, CanonicalHeaders.RAW_MESSAGE_ID))).findFirst());
        var observations = (List<?>) new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl())
                .decode(event.value()).get("observations");
        var attachment = (GenericRecord) ((GenericRecord) observations.get(1)).get("value");
        assertThat(attachment.get("data")).isEqualTo(java.nio.ByteBuffer.wrap(pdf));
        assertThat(result.length).as("a 9 MB result").isGreaterThan(9_000_000);
        String encoded = Base64.getEncoder().encodeToString(pdf);
        Eventually.await("the report delivered to the hospital's webhook, signed", Duration.ofSeconds(60), () ->
                system.receiver().verified().stream().filter(body -> body.contains(encoded)).findFirst());
    }

    /**
     * 500 idle sockets from one address: at most its 16 are kept (until idle), the rest closed at connect. Then 20
     * slowloris frames from two other addresses, a byte a second: each closed, by the frame timeout or at connect.
     */
    private void idleSocketsAndSlowlorisFrames(LabOpsSystem system) throws Exception {
        var idle = new ArrayList<Socket>();
        Thread.sleep(1_000); // the earlier steps' connections from 127.0.0.2, closed, are uncounted by now
        try {
            for (int i = 0; i < 500; i++) {
                idle.add(connect(system.ordersPort(), "127.0.0.2"));
            }
            Thread.sleep(1_000);
            int closed = 0;
            for (Socket socket : idle) {
                socket.setSoTimeout(50);
                try {
                    closed += socket.getInputStream().read() == -1 ? 1 : 0;
                } catch (SocketTimeoutException open) {
                    // kept, within the caps
                }
            }
            // 484 past the source's cap of 16; of its 16, those past the tenant sandbox's cap (8 here, the ordinary
            // sender holding one) too: the open sandbox port lets anyone in up to it, production never.
            assertThat(closed).as("idle sockets past the caps, closed at connect").isBetween(484, 493);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        Thread.sleep(1_000);
        ExecutorService slow = Executors.newFixedThreadPool(20);
        try {
            var closedAt = new ArrayList<Future<Duration>>();
            for (int i = 0; i < 20; i++) {
                String source = i % 2 == 0 ? "127.0.0.3" : "127.0.0.4";
                closedAt.add(slow.submit(() -> slowloris(system.ordersPort(), source)));
            }
            for (var at : closedAt) {
                // Each closed: at connect past the tenant sandbox's cap, else by the frame timeout (10 s).
                assertThat(at.get(60, TimeUnit.SECONDS)).isNotNull().isLessThan(Duration.ofSeconds(25));
            }
        } finally {
            slow.shutdownNow();
        }
    }

    /** Opens a frame and sends one byte a second; how long until ingress closed the connection (null: never). */
    private static Duration slowloris(int port, String source) throws IOException {
        long start = System.nanoTime();
        try (var socket = connect(port, source)) {
            socket.setSoTimeout(1_000);
            var out = socket.getOutputStream();
            out.write("\u000bMSH|^~\\&|SLOW".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 40; i++) {
                try {
                    if (socket.getInputStream().read() == -1) {
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                } catch (SocketTimeoutException stillOpen) {
                    out.write('x');
                }
            }
            return null;
        } catch (IOException reset) {
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /** HL7 over HTTP: a chunked body and a gzip body that decode past the limit are refused 413 with AR. */
    private void httpBodiesPastTheLimit(LabOpsSystem system, String token) throws Exception {
        String id = "HOSTILE-HTTP-" + RUN;
        byte[] huge = (new String(sample("orm-o01-v23.hl7", "MSG-ORM-0001", id), StandardCharsets.ISO_8859_1)
                + "NTE|1||" + "x".repeat(LabOpsSystem.MAX_MESSAGE_BYTES) + "\r").getBytes(StandardCharsets.ISO_8859_1);
        var gzipped = new ByteArrayOutputStream();
        try (var zip = new GZIPOutputStream(gzipped)) {
            zip.write(huge);
        }
        var chunked = hl7(system, token, HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(huge)), Map.of());
        var bomb = hl7(system, token, HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray()),
                Map.of("Content-Encoding", "gzip"));
        for (var answer : List.of(chunked, bomb)) {
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).contains("MSA|AR|" + id).contains("the limit (10 MB)");
        }
    }

    private static HttpResponse<String> hl7(LabOpsSystem system, String token, HttpRequest.BodyPublisher body,
                                            Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(system.url("ingress-service") + "/hl7/" + LabOpsSystem.TENANT
                + "/sandbox")).header("Authorization", "Bearer " + token).header("Content-Type", "application/hl7-v2")
                .POST(body);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    /**
     * Three well-behaved senders, each its own thread and a new order every 50-100 ms: MLLP from 127.0.0.1 on one
     * connection, HL7 over HTTP, and REST JSON. Remembers the placer numbers of what each was told AA or 2xx for.
     */
    private static final class OrdinarySenders {

        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads = Executors.newFixedThreadPool(3);
        private final LabOpsSystem system;
        private final String token;

        OrdinarySenders(LabOpsSystem system, String token) {
            this.system = system;
            this.token = token;
        }

        void start() {
            threads.submit(() -> loop("mllp", 50, n -> {
                try (var socket = connect(system.ordersPort(), "127.0.0.1")) {
                    while (running.get()) {
                        String id = "ORD-MLLP-" + RUN + "-" + n[0]++;
                        String ack = exchange(socket, order(id));
                        record(ack.contains("MSA|AA|" + id), id, ack);
                        Thread.sleep(50);
                    }
                }
            }));
            threads.submit(() -> loop("http", 100, n -> {
                while (running.get()) {
                    String id = "ORD-HTTP-" + RUN + "-" + n[0]++;
                    var answer = hl7(system, token, HttpRequest.BodyPublishers.ofByteArray(order(id)), Map.of());
                    record(answer.statusCode() == 200 && answer.body().contains("MSA|AA|" + id), id, answer.body());
                    Thread.sleep(100);
                }
            }));
            threads.submit(() -> loop("rest", 100, n -> {
                String template = Files.readString(Path.of("..", "samples", "rest-orders.json"));
                while (running.get()) {
                    String number = "PON-REST-" + RUN + "-" + n[0]++;
                    var answer = HTTP.send(HttpRequest.newBuilder(URI.create(system.url("ingress-service")
                                    + "/api/orders/" + LabOpsSystem.TENANT + "/sandbox"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(template.replace("PON-2026-0042", number)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 202) {
                        accepted.add(number);
                    } else {
                        failures.add("rest " + answer.statusCode() + " " + answer.body());
                    }
                    Thread.sleep(100);
                }
            }));
        }

        private void record(boolean ok, String id, String answer) {
            if (ok) {
                accepted.add("PON-A-" + id);
                accepted.add("PON-B-" + id);
            } else {
                failures.add(id + ": " + answer);
            }
        }

        private byte[] order(String id) {
            return sample("orm-o01-v23.hl7", "MSG-ORM-0001", id, "PON-1001", "PON-A-" + id, "PON-1002", "PON-B-" + id);
        }

        private void loop(String name, int pause, Step step) {
            try {
                step.run(new int[1]);
            } catch (Exception e) {
                failures.add(name + " stopped: " + e);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        private interface Step {
            void run(int[] counter) throws Exception;
        }
    }

    private static Socket connect(int port, String source) throws IOException {
        var socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Sends one framed message and reads one framed answer. */
    private static String exchange(Socket socket, byte[] message) throws IOException {
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write(MllpPeer.frame(message));
        InputStream in = socket.getInputStream();
        var ack = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != 0x1C; b = in.read()) {
            if (b != 0x0B) {
                ack.write(b);
            }
        }
        return ack.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, Double> metrics(LabOpsSystem system) throws Exception {
        var body = HTTP.send(HttpRequest.newBuilder(URI.create(system.url("ingress-service") + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        var values = new HashMap<String, Double>();
        for (String line : body.split("\n")) {
            if (!line.startsWith("#") && line.contains(" ")) {
                values.put(line.substring(0, line.lastIndexOf(' ')),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return values;
    }

    /** How much the metrics whose names contain {@code selector} grew, summed. */
    private static double delta(Map<String, Double> before, Map<String, Double> after, String selector) {
        return after.entrySet().stream().filter(e -> e.getKey().contains(selector))
                .mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0)).sum();
    }

    private static byte[] sample(String name, String... replacements) {
        return WalkingSkeletonSystemTest.sample(name, replacements);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
