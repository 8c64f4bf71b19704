package labops.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.ingress.IngressTest;
import labops.ingress.duplicate.WebhookIds;
import labops.platform.webhook.StandardWebhooks;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import labops.testsupport.Ports;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * HL7 v2 over HTTP and MLLP with tenants, credentials and signing secrets from the real tenant-service: what a
 * hospital integration engine sees when it sends, when it is not allowed to, and when its tenant is suspended.
 */
class Hl7OverHttpTest extends IngressTest {

    @Autowired
    private JdbcTemplate jdbc;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anOrderPostedWithASandboxTokenIsAcknowledgedAfterKafkaHasItExactlyAsSent() {
        var admin = admin();
        String tenant = newTenant(admin);
        String token = clientToken(admin, tenant, "sandbox");
        String control = "HTTP-" + UUID.randomUUID();
        byte[] order = order(control);

        var answer = post(tenant, "sandbox", token, order, Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/hl7-v2"));
        assertThat(answer.body()).contains("MSA|AA|" + control);
        var raw = record(Topics.RAW_HL7V2, control);
        assertThat(raw.value()).isEqualTo(order);
        assertThat(header(raw, RawHeaders.TENANT)).isEqualTo(tenant);
        assertThat(header(raw, RawHeaders.ENVIRONMENT)).isEqualTo("sandbox");
        assertThat(header(raw, RawHeaders.CHANNEL)).isEqualTo("http-hl7");
        assertThat(header(raw, RawHeaders.CREDENTIAL_ID)).startsWith("lo_test_");
    }

    @Test
    void aControlCharacterInAnyFieldIsRefusedNamingTheFieldAndTheRefusalIsKeptWithoutEchoingIt() {
        var admin = admin();
        String tenant = newTenant(admin);
        String token = clientToken(admin, tenant, "sandbox");
        String control = "NUL-" + UUID.randomUUID();
        byte[] withNul = order(control + "\0X");
        byte[] withBell = new String(order("BEL-" + UUID.randomUUID()), StandardCharsets.ISO_8859_1)
                .replace("Glucose", "Glu\u0007cose").getBytes(StandardCharsets.ISO_8859_1);

        var nul = post(tenant, "sandbox", token, withNul, Map.of());
        var bell = post(tenant, "sandbox", token, withBell, Map.of());

        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.body()).contains("MSA|AE|" + control + "X\r")
                .contains("ERR|||102^Data type error^HL70357|E||||MSH-10 holds control character 0x00")
                .doesNotContain("\0");
        assertThat(bell.statusCode()).isEqualTo(400);
        assertThat(bell.body()).contains("OBR-4 holds control character 0x07").doesNotContain("\u0007");
        var kept = record(Topics.deadLetterOf(Topics.RAW_HL7V2), null, r -> tenant.equals(header(r, RawHeaders.TENANT))
                && new String(r.value(), StandardCharsets.ISO_8859_1).contains(control));
        assertThat(kept.value()).as("kept exactly as sent").isEqualTo(withNul);
        assertThat(header(kept, DeadLetterHeaders.CODE)).isEqualTo("refused");
        assertThat(header(kept, DeadLetterHeaders.STAGE)).isEqualTo("ingress");
        assertThat(header(kept, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.RAW_HL7V2);
        assertThat(header(kept, DeadLetterHeaders.REASON)).startsWith("MSH-10 holds control character 0x00");
    }

    @Test
    void oneLimitHoldsWhetherTheBodyIsDeclaredChunkedOrCompressedAndAGzipBodyIsReadDecoded() throws Exception {
        var admin = admin();
        String tenant = newTenant(admin);
        String token = clientToken(admin, tenant, "sandbox");
        byte[] huge = (new String(order("BIG-" + UUID.randomUUID()), StandardCharsets.ISO_8859_1) + "NTE|1||"
                + "x".repeat(10 * 1024 * 1024) + "\r").getBytes(StandardCharsets.ISO_8859_1);
        String small = "GZ-" + UUID.randomUUID();

        var declared = post(tenant, "sandbox", token, huge, Map.of());
        var chunked = send(tenant, token, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)),
                Map.of());
        var bomb = send(tenant, token, HttpRequest.BodyPublishers.ofByteArray(gzip(huge)),
                Map.of("Content-Encoding", "gzip"));
        var compressed = send(tenant, token, HttpRequest.BodyPublishers.ofByteArray(gzip(order(small))),
                Map.of("Content-Encoding", "gzip"));
        var brotli = send(tenant, token, HttpRequest.BodyPublishers.ofByteArray(order(small)),
                Map.of("Content-Encoding", "br"));

        for (var tooLarge : List.of(declared, chunked, bomb)) {
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("MSA|AR|BIG-").contains("message larger than 10485760 bytes, the limit "
                    + "(10 MB): not stored, and sending it again will not help");
        }
        assertThat(compressed.statusCode()).isEqualTo(200);
        assertThat(compressed.body()).contains("MSA|AA|" + small);
        assertThat(record(Topics.RAW_HL7V2, small).value()).as("stored decoded").isEqualTo(order(small));
        assertThat(brotli.statusCode()).isEqualTo(415);
    }

    private HttpResponse<String> send(String tenant, String token, HttpRequest.BodyPublisher body,
                                      Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hl7/" + tenant + "/sandbox"))
                .header("Content-Type", "application/hl7-v2").header("Authorization", "Bearer " + token).POST(body);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void aControlIdReusedForOtherContentIsRefusedNamingMsh10WhileTheSameMessageAgainIsACopy() {
        var admin = admin();
        String tenant = newTenant(admin);
        String token = clientToken(admin, tenant, "sandbox");
        String control = "REUSED-" + UUID.randomUUID();
        byte[] first = order(control);
        byte[] other = new String(first, StandardCharsets.ISO_8859_1).replace("Glucose", "Sodium")
                .getBytes(StandardCharsets.ISO_8859_1);

        var original = post(tenant, "sandbox", token, first, Map.of());
        var conflicting = post(tenant, "sandbox", token, other, Map.of());
        var resent = post(tenant, "sandbox", token, first, Map.of());

        assertThat(original.body()).contains("MSA|AA|" + control);
        assertThat(conflicting.statusCode()).isEqualTo(400);
        assertThat(conflicting.body()).contains("MSA|AE|" + control)
                .contains("ERR|||205^Duplicate key identifier^HL70357|E||||MSH-10 (message control id) was used");
        assertThat(resent.body()).as("the same message again: a copy, acknowledged").contains("MSA|AA|" + control);
        var kept = record(Topics.deadLetterOf(Topics.RAW_HL7V2), control, r -> tenant.equals(header(r, RawHeaders.TENANT)));
        assertThat(kept.value()).isEqualTo(other);
    }

    @Test
    void aSandboxCredentialCannotSubmitProductionDataNorReachAnotherTenant() {
        var admin = admin();
        String tenant = newTenant(admin);
        String other = newTenant(admin);
        String sandbox = clientToken(admin, tenant, "sandbox");

        assertThat(post(tenant, "production", sandbox, order("P-1"), Map.of()).statusCode()).isEqualTo(403);
        assertThat(post(other, "sandbox", sandbox, order("P-2"), Map.of()).statusCode()).isEqualTo(404);
        assertThat(post(tenant, "sandbox", null, order("P-3"), Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void productionIsRefusedUntilItsConnectionGoesLive() {
        var admin = admin();
        String tenant = newTenant(admin);
        String production = clientToken(admin, tenant, "production");

        var answer = post(tenant, "production", production, order("PROD-1"), Map.of());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("MSA|AR|PROD-1").contains("not live yet");
    }

    @Test
    void signedPushesAreVerifiedRefusedWhenWrongExpiredOrReplayedAndBothSecretsWorkDuringARotation() {
        var admin = admin();
        String tenant = newTenant(admin);
        String token = clientToken(admin, tenant, "sandbox");
        String secrets = "/api/tenants/" + tenant + "/environments/sandbox/connections/receive-orders/signing-secrets";
        String first = JsonPath.read(Api.ok(admin.post(secrets, "{}")), "$.secret");
        Api.ok(admin.put("/api/tenants/" + tenant + "/environments/sandbox/connections/receive-orders",
                "{\"signatureRequired\":true}"));
        awaitSignatureRequired(tenant, token);

        byte[] valid = order("SIG-1");
        String id = "msg_" + UUID.randomUUID();
        assertThat(post(tenant, "sandbox", token, valid, signed(id, Instant.now(), valid, first)).body())
                .contains("MSA|AA|SIG-1");
        var replay = post(tenant, "sandbox", token, valid, signed(id, Instant.now(), valid, first));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("already received");
        assertThat(new WebhookIds(jdbc).seen(tenant + "/sandbox", id))
                .as("remembered in PostgreSQL, where every other ingress instance looks").isTrue();

        // Not stored (refused for its content), so not remembered: the same push again is judged again, not a replay.
        byte[] refused = order("SIG-\u0007");
        String refusedId = "msg_" + UUID.randomUUID();
        var once = post(tenant, "sandbox", token, refused, signed(refusedId, Instant.now(), refused, first));
        var twice = post(tenant, "sandbox", token, refused, signed(refusedId, Instant.now(), refused, first));
        assertThat(List.of(once.statusCode(), twice.statusCode())).containsExactly(400, 400);
        assertThat(twice.body()).contains("MSA|AE");

        byte[] second = order("SIG-2");
        var wrong = post(tenant, "sandbox", token, second, signed("msg_" + UUID.randomUUID(), Instant.now(), second,
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("no webhook-signature matches");
        var expired = post(tenant, "sandbox", token, second, signed("msg_" + UUID.randomUUID(),
                Instant.now().minus(Duration.ofMinutes(6)), second, first));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("more than 5 minutes");
        assertThat(post(tenant, "sandbox", token, second, Map.of()).statusCode()).as("unsigned").isEqualTo(401);

        String rotated = JsonPath.read(Api.ok(admin.post(secrets, "{\"overlap\":\"PT1H\"}")), "$.secret");
        Eventually.await("both secrets accepted during the overlap", Duration.ofSeconds(10), () -> {
            byte[] a = order("ROT-OLD-" + UUID.randomUUID());
            byte[] b = order("ROT-NEW-" + UUID.randomUUID());
            boolean old = post(tenant, "sandbox", token, a, signed("msg_" + UUID.randomUUID(), Instant.now(), a, first))
                    .body().contains("MSA|AA");
            boolean fresh = post(tenant, "sandbox", token, b, signed("msg_" + UUID.randomUUID(), Instant.now(), b, rotated))
                    .body().contains("MSA|AA");
            return old && fresh ? Optional.of(true) : Optional.empty();
        });
        var refusal = record(Topics.deadLetterOf(Topics.RAW_HL7V2), null, r -> tenant.equals(header(r, RawHeaders.TENANT))
                && "this webhook-id was already received".equals(header(r, DeadLetterHeaders.REASON)));
        assertThat(refusal.value()).isEqualTo(valid);
    }

    @Test
    void anMllpEndpointOpensOnItsAllocatedPortAndASuspendedTenantIsRefusedWithinSeconds() throws Exception {
        var admin = admin();
        String tenant = newTenant(admin);
        int port = listening(Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/mllp-endpoints",
                "{\"purpose\":\"orders\",\"allowedSources\":[\"127.0.0.0/8\"]}")));
        assertThat(MllpPeer.send(port, order("MLLP-1")).field("MSA", 1)).isEqualTo("AA");

        Api.ok(admin.post("/api/tenants/" + tenant + "/suspend", null));
        Instant suspended = Instant.now();

        var refused = Eventually.await("AR after the suspension", Duration.ofSeconds(5), () -> {
            try {
                var ack = MllpPeer.send(port, order("MLLP-" + UUID.randomUUID()));
                return ack.field("MSA", 1).equals("AR") ? Optional.of(ack) : Optional.empty();
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        });
        assertThat(refused.text()).contains("tenant suspended");
        System.out.println("suspension observed on MLLP after " + Duration.between(suspended, Instant.now()).toMillis() + " ms");
    }

    @Test
    void oneSourceAddressCannotHoldEveryConnectionWhileAnotherStillGetsIn() throws Exception {
        var admin = admin();
        String tenant = newTenant(admin);
        int port = listening(Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/mllp-endpoints",
                "{\"purpose\":\"orders\",\"allowedSources\":[\"127.0.0.2/32\"]}")));
        var held = new java.util.ArrayList<java.net.Socket>();
        try {
            // 127.0.0.5 is not allowed on this endpoint: its connections count against its own address only (one no
            // other test connects from, so the cap is all its own). Which of the seventeen is the one too many depends
            // on which event loop counts first; exactly one is closed.
            var stranger = java.net.InetAddress.getByName("127.0.0.5");
            for (int i = 0; i < 17; i++) {
                held.add(new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port, stranger, 0));
            }
            Thread.sleep(1_000);
            int closed = 0;
            for (var socket : held) {
                socket.setSoTimeout(200);
                try {
                    closed += socket.getInputStream().read() == -1 ? 1 : 0;
                } catch (java.net.SocketTimeoutException open) {
                    // still open, as it should be
                }
            }
            assertThat(closed).as("one connection past the source's cap of 16, closed at connect").isEqualTo(1);

            var allowed = javax.net.SocketFactory.getDefault().createSocket("127.0.0.1", port,
                    java.net.InetAddress.getByName("127.0.0.2"), 0);
            held.add(allowed);
            allowed.setSoTimeout(10_000);
            allowed.getOutputStream().write(MllpPeer.frame(order("SOURCE-1")));
            byte[] ack = new byte[512];
            int n = allowed.getInputStream().read(ack);
            assertThat(new String(ack, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1)).contains("MSA|AA|SOURCE-1");
        } finally {
            for (var socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void anMllpEndpointThatRequiresTlsSpeaksOnlyTls() throws Exception {
        var admin = admin();
        String tenant = newTenant(admin);
        String created = Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/mllp-endpoints",
                "{\"purpose\":\"orders\",\"allowedSources\":[\"127.0.0.1/32\"],\"tls\":true}"));
        assertThat(JsonPath.<Boolean>read(created, "$.tls")).isTrue();
        int port = listening(created);

        assertThat(MllpPeer.send(TLS.clientSockets(), port, order("TLS-1")).field("MSA", 1)).isEqualTo("AA");
        var plain = MllpPeer.send(port, order("PLAIN-1"));
        assertThat(plain.text()).as("no ACK over a plain connection").doesNotContain("MSA|");
    }

    /** The port of the MLLP endpoint just {@code created}, once it is listening. */
    private static int listening(String created) {
        int port = Integer.parseInt(JsonPath.<String>read(created, "$.address").replaceAll(".*:", ""));
        return Eventually.await("listener on " + port, Duration.ofSeconds(10), () ->
                Ports.isListening(port) ? Optional.of(port) : Optional.empty());
    }

    private void awaitSignatureRequired(String tenant, String token) {
        Eventually.await("signatures required", Duration.ofSeconds(10), () ->
                post(tenant, "sandbox", token, order("UNSIGNED"), Map.of()).statusCode() == 401
                        ? Optional.of(true) : Optional.empty());
    }

    private HttpResponse<String> post(String tenant, String environment, String token, byte[] body,
                                      Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hl7/" + tenant + "/" + environment))
                .header("Content-Type", "application/hl7-v2")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> signed(String id, Instant at, byte[] body, String secret) {
        long seconds = at.getEpochSecond();
        return Map.of(StandardWebhooks.ID, id, StandardWebhooks.TIMESTAMP, Long.toString(seconds),
                StandardWebhooks.SIGNATURE, StandardWebhooks.sign(id, seconds, body, List.of(secret)));
    }

    static byte[] order(String controlId) {
        return ("MSH|^~\\&|EHR|HOSP|LAB|LAB|20261125083000||ORM^O01|" + controlId + "|P|2.3\r"
                + "PID|1||MRN-1^^^HOSP^MR\r"
                + "ORC|NW|PON-1^EHR\r"
                + "OBR|1|PON-1^EHR||2345-7^Glucose^LN\r").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, String controlId) {
        return record(topic, controlId, r -> true);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, String controlId,
                                                         java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> match) {
        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        return Eventually.await("record on " + topic, Duration.ofSeconds(20), () ->
                KafkaTopicReader.readAll(bootstrap, topic).stream()
                        .filter(r -> controlId == null || new String(r.value(), StandardCharsets.ISO_8859_1).contains("|" + controlId + "|"))
                        .filter(match).findFirst());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
