package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import labops.testsupport.MllpPeer.Ack;
import labops.testsupport.Ports;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an interface engine hears from the HL7 v2 endpoints: for every kind of bad input the precise ACK code and ERR
 * text, the refused message kept on the dead-letter topic; batches acknowledged message by message; enhanced-mode
 * accept acknowledgements as MSH-15 asks; and the connection limits (frame size, connections per tenant, idle time)
 * enforced without losing the next good message. Runs before the exactly-once test, whose 20,000 orders keep the
 * audit log busy for minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(4)
class Hl7IntakeSystemTest {

    private static final String ORDER = "MSH|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125083000||ORM^O01|%s|P|2.3\r"
            + "PID|1||MRN-BAD-1^^^DEMO-HOSPITAL^MR\r"
            + "ORC|NW|PON-BAD-1^DEMO-EHR\r"
            + "OBR|1|PON-BAD-1^DEMO-EHR||2345-7^Glucose^LN\r";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LabOpsSystem system;
    private int ordersPort;
    private int resultsPort;

    @BeforeAll
    void startTheSystem() {
        system = LabOpsSystem.get();
        ordersPort = system.ordersPort();
        resultsPort = system.resultsPort();
    }

    @Test
    void aBatchIsAcknowledgedMessageByMessageOverMllpAndHttp() throws Exception {
        String batch = "FHS|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125083000||||F-1\r"
                + "BHS|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125083000||||%s\r"
                + order("%s-1")
                + order("%s-2").substring(0, order("%s-2").indexOf("ORC|"))
                + "MSH|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125083000||ADT^A08|%s-3|P|2.3\r"
                + "PID|1||MRN-BAD-1^^^DEMO-HOSPITAL^MR\r"
                + "BTS|3\rFTS|1\r";

        String overMllp = MllpPeer.send(ordersPort, batch.replace("%s", "MLLP-BATCH").getBytes(StandardCharsets.US_ASCII))
                .text();
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        var overHttp = HTTP.send(HttpRequest.newBuilder(URI.create(system.url("ingress-service") + "/hl7/"
                        + LabOpsSystem.TENANT + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/hl7-v2")
                .POST(HttpRequest.BodyPublishers.ofString(batch.replace("%s", "HTTP-BATCH"))).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));

        assertThat(overHttp.statusCode()).as("a batch takes its worst message's status").isEqualTo(400);
        for (var answer : List.of(Map.entry("MLLP-BATCH", overMllp), Map.entry("HTTP-BATCH", overHttp.body()))) {
            String id = answer.getKey();
            List<String> segments = List.of(answer.getValue().split("\r"));
            assertThat(segments.get(0)).as(answer.getValue()).startsWith("FHS|^~\\&|LABOPS|LAB|DEMO-EHR|DEMO-HOSPITAL|");
            assertThat(segments.get(1)).startsWith("BHS|").endsWith("|" + id);
            assertThat(segments.stream().filter(s -> s.startsWith("MSA|")).toList())
                    .containsExactly("MSA|AA|" + id + "-1", "MSA|AE|" + id + "-2", "MSA|AA|" + id + "-3");
            assertThat(segments).contains("BTS|3").last().isEqualTo("FTS|1");
        }
    }

    @Test
    void aMessageSentAgainToAnyInstanceIsAcknowledgedButNormalizedOnceAndAudited() throws Exception {
        byte[] message = order("DUP-1").getBytes(StandardCharsets.US_ASCII);
        assertThat(MllpPeer.send(ordersPort, message).field("MSA", 1)).isEqualTo("AA");
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        try (var second = system.startSecondIngress()) {
            var overHttp = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/hl7/"
                            + LabOpsSystem.TENANT + "/sandbox")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/hl7-v2")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
            assertThat(overHttp.body()).as("the second instance").contains("MSA|AA|DUP-1");
        }
        assertThat(MllpPeer.send(ordersPort, message).text()).as("the first instance again").contains("MSA|AA|DUP-1");

        // Every copy is kept as received, on one partition (the key follows the patient), the first one first.
        var copies = Eventually.await("the three copies on the raw topic", Duration.ofSeconds(60), () -> {
            var raw = rawCopies("DUP-1");
            return raw.size() == 3 ? Optional.of(raw) : Optional.empty();
        });
        assertThat(copies).extracting(ConsumerRecord::partition).containsOnly(copies.get(0).partition());
        ConsumerRecord<byte[], byte[]> first = copies.stream()
                .min(java.util.Comparator.comparingLong(ConsumerRecord::offset)).orElseThrow();
        String original = header(first, RawHeaders.MESSAGE_ID);
        // Read where every service reports its decisions, so the check does not wait on the audit log's backlog.
        Eventually.await("both copies reported to the audit trail", Duration.ofSeconds(60), () -> {
            long reported = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                            Topics.AUDIT_DECISIONS).stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .filter(json -> json.contains("\"raw.duplicate\"") && json.contains(original)).count();
            return reported == 2 ? Optional.of(reported) : Optional.empty();
        });
        var avro = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        List<String> normalizedFrom = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                        Topics.CANONICAL_ORDERS).stream()
                .map(r -> (GenericRecord) avro.decode(r.value()).get("source"))
                .filter(source -> "DUP-1".equals(String.valueOf(source.get("originalMessageId"))))
                .map(source -> source.get("rawMessageId").toString()).toList();
        assertThat(normalizedFrom).as("normalized once, from the first copy").containsExactly(original);
    }

    @Test
    void enhancedModeSendsTheAcceptAcknowledgementsMsh15AsksFor() throws Exception {
        var bytes = new ByteArrayOutputStream();
        for (var mode : List.of("NE", "AL", "ER", "")) {
            String message = order("ENH-" + (mode.isEmpty() ? "ORIGINAL" : mode))
                    .replace("|P|2.3\r", mode.isEmpty() ? "|P|2.3\r" : "|P|2.5.1|||" + mode + "|NE\r");
            bytes.write(MllpPeer.frame(message.getBytes(StandardCharsets.US_ASCII)));
        }

        // Answers come in order: had NE or ER (on success) been answered, they would come first.
        List<Ack> acks = MllpPeer.exchange(ordersPort, bytes.toByteArray(), 2);

        assertThat(acks).extracting(a -> a.field("MSA", 1) + " " + a.field("MSA", 2))
                .containsExactly("CA ENH-AL", "AA ENH-ORIGINAL");
    }

    @Test
    void eachBadInputGetsItsPreciseAnswerAndIsKept() throws Exception {
        assertRefused(ordersPort, "GET / HTTP/1.1\r\nHost: lab\r\n", "AR", "200",
                "not an HL7 v2 message: it must start with an MSH segment");
        assertRefused(ordersPort, order("BAD-NO-TYPE").replace("ORM^O01", ""), "AE", "101",
                "MSH-9 (message type) is missing");
        assertRefused(ordersPort, order(""), "AE", "101",
                "MSH-10 (message control id) is missing");
        assertRefused(ordersPort, order("BAD-TYPE").replace("ORM^O01", "SIU^S12"), "AR", "200",
                "message type SIU\\S\\S12 is not accepted on this orders endpoint (accepted: ORM\\S\\O01");
        assertRefused(resultsPort, order("BAD-PURPOSE"), "AR", "200",
                "message type ORM\\S\\O01 is not accepted on this results endpoint (accepted: ORU\\S\\R01)");
        assertRefused(ordersPort, order("BAD-TRUNCATED").substring(0, order("BAD-TRUNCATED").indexOf("ORC|")), "AE",
                "100", "required segment ORC is missing from ORM\\S\\O01");
        assertRefused(ordersPort, order("BAD-ENCODING").replace("MSH|^~\\&|", "MSH|^^\\&|"), "AE", "100",
                "MSH-2 (encoding characters) must be four distinct delimiters");
        // What the normalizer could not read was once acknowledged AA: refused at the door now, by the same reading.
        assertRefused(ordersPort, order("BAD-SHORT-ENCODING").replace("MSH|^~\\&|", "MSH|^~|"), "AE", "100",
                "MSH-2 (encoding characters) must be four distinct delimiters");

        assertKept("mllp", List.of("must start with an MSH segment", "MSH-9 (message type) is missing",
                "MSH-10 (message control id) is missing", "message type SIU^S12 is not accepted on this orders endpoint",
                "message type ORM^O01 is not accepted on this results endpoint", "required segment ORC is missing",
                "MSH-2 (encoding characters) must be four distinct delimiters"));
    }

    /** The same bad inputs over HL7 over HTTP: the ACK in the body, its ERR, and an HTTP status that mirrors it. */
    @Test
    void eachBadInputOverHttpGetsItsPreciseAnswerAndStatusAndIsKept() throws Exception {
        String result = "MSH|^~\\&|LIS|LAB|EHR|HOSP|20261125083000||ORU^R01|HTTP-BAD-PURPOSE|P|2.5.1\r"
                + "PID|1||MRN-BAD-1^^^DEMO-HOSPITAL^MR\rOBR|1|PON-BAD-1||2345-7^Glucose^LN\rOBX|1|NM|2345-7||5\r";
        assertRefusedOverHttp("GET / HTTP/1.1\r\nHost: lab\r\n", 422, "AR", "200",
                "not an HL7 v2 message: it must start with an MSH segment");
        assertRefusedOverHttp(order("HTTP-BAD-NO-TYPE").replace("ORM^O01", ""), 400, "AE", "101",
                "MSH-9 (message type) is missing");
        assertRefusedOverHttp(order(""), 400, "AE", "101", "MSH-10 (message control id) is missing");
        assertRefusedOverHttp(order("HTTP-BAD-TYPE").replace("ORM^O01", "SIU^S12"), 422, "AR", "200",
                "message type SIU\\S\\S12 is not accepted on this orders endpoint (accepted: ORM\\S\\O01");
        assertRefusedOverHttp(result, 422, "AR", "200",
                "message type ORU\\S\\R01 is not accepted on this orders endpoint");
        String truncated = order("HTTP-BAD-TRUNCATED");
        assertRefusedOverHttp(truncated.substring(0, truncated.indexOf("ORC|")), 400, "AE", "100",
                "required segment ORC is missing from ORM\\S\\O01");
        assertRefusedOverHttp(order("HTTP-BAD-ENCODING").replace("MSH|^~\\&|", "MSH|^^\\&|"), 400, "AE", "100",
                "MSH-2 (encoding characters) must be four distinct delimiters");

        assertKept("http-hl7", List.of("must start with an MSH segment", "MSH-9 (message type) is missing",
                "MSH-10 (message control id) is missing", "message type SIU^S12 is not accepted",
                "message type ORU^R01 is not accepted", "required segment ORC is missing",
                "MSH-2 (encoding characters) must be four distinct delimiters"));
    }

    /** Each refusal on {@code channel} is on the dead-letter topic with its reason (the audit log reads that topic). */
    private void assertKept(String channel, List<String> reasons) {
        Eventually.await("every refusal on the dead-letter topic with its reason", Duration.ofSeconds(60),
                () -> {
                    var onChannel = deadLetters().stream().filter(r -> header(r, RawHeaders.CHANNEL).equals(channel))
                            .toList();
                    var found = reasons.stream().map(reason -> onChannel.stream()
                            .filter(r -> header(r, DeadLetterHeaders.REASON).contains(reason)).findFirst()).toList();
                    return found.stream().allMatch(Optional::isPresent)
                            ? Optional.of(found.stream().map(Optional::get).toList()) : Optional.empty();
                });
    }

    private void assertRefusedOverHttp(String message, int status, String code, String errorCode, String text)
            throws Exception {
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        var answer = HTTP.send(HttpRequest.newBuilder(URI.create(system.url("ingress-service") + "/hl7/"
                        + LabOpsSystem.TENANT + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/hl7-v2")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.ISO_8859_1)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        var ack = new Ack(answer.body());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(ack.field("MSA", 1)).as(answer.body()).isEqualTo(code);
        assertThat(ack.field("ERR", 3)).startsWith(errorCode + "^");
        assertThat(ack.field("ERR", 8)).contains(text);
    }

    @Test
    void junkBetweenFramesIsSkippedAndEveryFrameIsAnsweredInOrder() throws Exception {
        var bytes = new ByteArrayOutputStream();
        bytes.write("line noise before any frame\r\n".getBytes(StandardCharsets.US_ASCII));
        bytes.write(MllpPeer.frame(order("JUNK-1").getBytes(StandardCharsets.US_ASCII)));
        bytes.write("\r\nmore noise\u001c\r".getBytes(StandardCharsets.US_ASCII));
        bytes.write(MllpPeer.frame(order("JUNK-2").getBytes(StandardCharsets.US_ASCII)));

        List<Ack> acks = MllpPeer.exchange(ordersPort, bytes.toByteArray(), 2);

        assertThat(acks).extracting(a -> a.field("MSA", 1) + " " + a.field("MSA", 2))
                .containsExactly("AA JUNK-1", "AA JUNK-2");
    }

    @Test
    void anOversizeMessageIsRefusedItsHeadKeptAndTheConnectionStillServesTheNext() throws Exception {
        String big = order("BAD-OVERSIZE") + "NTE|1||" + "x".repeat(LabOpsSystem.MAX_MESSAGE_BYTES) + "\r";
        var bytes = new ByteArrayOutputStream();
        bytes.write(MllpPeer.frame(big.getBytes(StandardCharsets.US_ASCII)));
        bytes.write(MllpPeer.frame(order("AFTER-OVERSIZE").getBytes(StandardCharsets.US_ASCII)));

        List<Ack> acks = MllpPeer.exchange(ordersPort, bytes.toByteArray(), 2);

        assertThat(acks.get(0).field("MSA", 1)).as(acks.get(0).text()).isEqualTo("AR");
        assertThat(acks.get(0).field("MSA", 2)).isEqualTo("BAD-OVERSIZE");
        assertThat(acks.get(0).text()).contains("message larger than " + LabOpsSystem.MAX_MESSAGE_BYTES + " bytes, the limit (10 MB)");
        assertThat(acks.get(1).field("MSA", 1) + " " + acks.get(1).field("MSA", 2)).isEqualTo("AA AFTER-OVERSIZE");
        var kept = Eventually.await("the oversize head kept", Duration.ofSeconds(60), () -> deadLetters().stream()
                .filter(r -> header(r, DeadLetterHeaders.REASON).startsWith("message larger than")).findFirst());
        assertThat(new String(kept.value(), StandardCharsets.US_ASCII)).startsWith(order("BAD-OVERSIZE"))
                .hasSizeLessThan(2048);
    }

    @Test
    void aTenantPastItsConnectionCapHasTheNextConnectionClosedAndIdleConnectionsAreClosed() throws Exception {
        var held = new ArrayList<Socket>();
        boolean refused = false;
        try {
            // One at a time, each given time to be counted (or refused) before the next: a connection the server
            // closes at once reads end-of-stream, one it keeps times out.
            while (!refused && held.size() <= LabOpsSystem.MAX_CONNECTIONS_PER_TENANT) {
                var socket = new Socket("127.0.0.1", ordersPort);
                socket.setSoTimeout(500);
                try {
                    refused = socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException open) {
                    held.add(socket);
                    continue;
                } catch (IOException reset) {
                    refused = true;
                }
                socket.close();
            }
            assertThat(refused).as("a connection past the cap is closed").isTrue();
            assertThat(held).as("connections kept up to the cap").hasSize(LabOpsSystem.MAX_CONNECTIONS_PER_TENANT);

            // Nothing sent and nothing owed: a held connection is closed after the idle timeout.
            Socket idle = held.get(held.size() - 1);
            idle.setSoTimeout((int) LabOpsSystem.IDLE_TIMEOUT.multipliedBy(3).toMillis());
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        var after = MllpPeer.send(ordersPort, order("AFTER-CAP").getBytes(StandardCharsets.US_ASCII));
        assertThat(after.field("MSA", 1)).as("connections released, the tenant may connect again").isEqualTo("AA");
    }

    /**
     * A tenant narrows a new orders endpoint to ORM^O01 (its patient updates come another way): an ADT^A08 there is
     * refused naming what the endpoint takes, an order is accepted, a type outside the purpose cannot be chosen.
     */
    @Test
    void anEndpointNarrowedToSomeTypesRefusesTheOthersNamingWhatItTakes() throws Exception {
        var admin = system.tenantService().api(system.tenantAdminToken());
        String endpoints = "/api/tenants/" + LabOpsSystem.TENANT + "/environments/sandbox/mllp-endpoints";
        var wrong = admin.post(endpoints, "{\"purpose\":\"orders\",\"acceptedTypes\":[\"ORU^R01\"]}");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).contains("acceptedTypes: ORU^R01 is not a type an orders endpoint takes");

        String created = Api.ok(admin.post(endpoints, "{\"purpose\":\"orders\",\"acceptedTypes\":[\"ORM^O01\"]}"));
        assertThat(created).contains("\"acceptedTypes\":[\"ORM^O01\"]");
        int port = Integer.parseInt(Api.field(created, "address").replaceAll(".*:", ""));
        try {
            Eventually.await("the narrowed endpoint listening", Duration.ofSeconds(30), () ->
                    Ports.isListening(port) ? Optional.of(port) : Optional.empty());
            String update = "MSH|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125083000||ADT^A08|NARROW-ADT|P|2.3\r"
                    + "PID|1||MRN-BAD-1^^^DEMO-HOSPITAL^MR\r";
            assertRefused(port, update, "AR", "200",
                    "message type ADT\\S\\A08 is not accepted on this orders endpoint (accepted: ORM\\S\\O01)");
            assertThat(MllpPeer.send(port, order("NARROW-ORM").getBytes(StandardCharsets.US_ASCII)).field("MSA", 1))
                    .isEqualTo("AA");
            assertThat(MllpPeer.send(ordersPort, update.replace("NARROW-ADT", "WIDE-ADT")
                    .getBytes(StandardCharsets.US_ASCII)).field("MSA", 1))
                    .as("the tenant's other orders endpoint still takes patient updates").isEqualTo("AA");
        } finally {
            Api.ok(admin.post(endpoints + "/" + Api.field(created, "id") + "/revoke", null));
        }
    }

    private static void assertRefused(int port, String message, String code, String errorCode, String text)
            throws IOException {
        Ack ack = MllpPeer.send(port, message.getBytes(StandardCharsets.US_ASCII));
        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo(code);
        assertThat(ack.segment("ERR")).as("ERR segment in " + ack.text()).isPresent();
        assertThat(ack.field("ERR", 3)).startsWith(errorCode + "^");
        assertThat(ack.field("ERR", 8)).contains(text);
    }

    private static String order(String controlId) {
        return ORDER.formatted(controlId);
    }

    private static List<ConsumerRecord<byte[], byte[]>> rawCopies(String controlId) {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_HL7V2).stream()
                .filter(r -> header(r, RawHeaders.IDEMPOTENCY_KEY).endsWith("|" + controlId)).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                Topics.deadLetterOf(Topics.RAW_HL7V2));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
