package labops.ingress.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.ingress.IngressTest;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.HostileInputs;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The REST order API as a small lab's own system uses it, with a plain HTTP client and real tokens: orders stored
 * before the 202, one raw message each; idempotent replays; every invalid field named by JSON Pointer.
 */
class RestOrdersTest extends IngressTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void eachOrderIsStoredOnItsOwnBeforeTheAnswerNamesItsId() throws Exception {
        String tenant = newTenant(admin());
        String token = clientToken(admin(), tenant, "sandbox");

        var single = post(tenant, token, null, orders(order("PON-R1", "MRN-1")));
        var batch = post(tenant, token, null, orders(order("PON-R2", "MRN-2"), order("PON-R3", "MRN-3")));

        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
        assertThat(JsonPath.<List<String>>read(batch.body(), "$.orders[*].orderNumber"))
                .containsExactly("PON-R2", "PON-R3");
        String id = JsonPath.read(single.body(), "$.orders[0].id");
        assertThat(JsonPath.<String>read(single.body(), "$.orders[0].status"))
                .endsWith("/api/tenants/" + tenant + "/environments/sandbox/messages/" + id);
        var stored = raw(Topics.RAW_REST, id);
        assertThat(header(stored, RawHeaders.CHANNEL)).isEqualTo("rest");
        assertThat(header(stored, RawHeaders.TENANT)).isEqualTo(tenant);
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).contains("\"PON-R1\"").doesNotContain("PON-R2");
        assertThat(new String(stored.key(), StandardCharsets.UTF_8)).doesNotContain("MRN-1");
        for (String each : JsonPath.<List<String>>read(batch.body(), "$.orders[*].id")) {
            assertThat(new String(raw(Topics.RAW_REST, each).value(), StandardCharsets.UTF_8)).contains("orderNumber");
        }
    }

    @Test
    void aRepeatWithTheSameKeyGetsTheFirstAnswerAndAnotherBodyIsRefused() throws Exception {
        String tenant = newTenant(admin());
        String token = clientToken(admin(), tenant, "sandbox");
        String key = UUID.randomUUID().toString();
        String body = orders(order("PON-I1", "MRN-1"), order("PON-I2", "MRN-2"));

        var first = post(tenant, token, key, body);
        var again = post(tenant, token, key, body);
        var other = post(tenant, token, key, orders(order("PON-I3", "MRN-3")));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(other.body(), "$.detail")).contains("was used before with another body");
        Eventually.await("each order stored once", Duration.ofSeconds(20), () -> {
            var copies = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_REST)
                    .stream().filter(r -> header(r, RawHeaders.TENANT).equals(tenant)).toList();
            return copies.size() == 2 ? Optional.of(copies) : Optional.empty();
        });
    }

    @Test
    void everyInvalidFieldIsNamedByJsonPointerAndTheRequestIsKept() throws Exception {
        String tenant = newTenant(admin());
        String token = clientToken(admin(), tenant, "sandbox");
        String invalid = orders(order("PON-V1", "MRN-1"), """
                {"orderNumber": "", "action": "delete", "tests": [],
                 "patient": {"mrn": " ", "sex": "f", "email": "not-an-address"}}""");

        var answer = post(tenant, token, null, invalid);
        var badDate = post(tenant, token, null, orders(order("PON-V2", "MRN-2")
                .replace("\"orderedAt\": \"2026-11-25T08:25:00Z\"", "\"orderedAt\": \"yesterday\"")));
        var notJson = post(tenant, token, null, "{\"orders\": [");
        var nul = post(tenant, token, null, orders(order("PON-V3", "MRN-\\u0000-3")));

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).doesNotContain("Exception", "at labops.");
        assertThat(JsonPath.<List<String>>read(answer.body(), "$.errors[*].pointer")).containsExactlyInAnyOrder(
                "/orders/1/action", "/orders/1/orderNumber", "/orders/1/patient/email", "/orders/1/patient/mrn",
                "/orders/1/patient/sex", "/orders/1/tests");
        assertThat(JsonPath.<List<String>>read(answer.body(), "$.errors[?(@.pointer == '/orders/1/action')].detail"))
                .containsExactly("must be new, update, cancel, hold or resume");
        assertThat(badDate.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<List<String>>read(badDate.body(), "$.errors[*].pointer"))
                .containsExactly("/orders/0/orderedAt");
        assertThat(nul.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<List<String>>read(nul.body(), "$.errors[*].pointer")).containsExactly("/orders/0/patient/mrn");
        assertThat(JsonPath.<List<String>>read(nul.body(), "$.errors[*].detail"))
                .containsExactly("holds control character 0x00, which Lab Ops does not accept in text");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(notJson.body(), "$.detail")).startsWith("the body is not JSON");
        var kept = Eventually.await("the refused requests kept with their reasons", Duration.ofSeconds(20), () -> {
            var reasons = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                            Topics.deadLetterOf(Topics.RAW_REST)).stream()
                    .filter(r -> header(r, RawHeaders.TENANT).equals(tenant))
                    .map(r -> header(r, DeadLetterHeaders.REASON)).toList();
            return reasons.size() == 4 ? Optional.of(reasons) : Optional.empty();
        });
        assertThat(kept).anyMatch(r -> r.startsWith("422 6 invalid field(s)")).anyMatch(r -> r.startsWith("400 "))
                .anyMatch(r -> r.equals("422 invalid order at /orders/0/patient/mrn"));
    }

    @Test
    void theFormatIsInTheOpenApiDocumentWithAnExample() throws Exception {
        var docs = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/orders/{tenantId}/{environment}", "RestOrders", "PON-2026-0042",
                "orderNumber", "homeCollection");
    }

    static String orders(String... orders) {
        return "{\"orders\": [" + String.join(",", orders) + "]}";
    }

    static String order(String number, String mrn) {
        return """
                {"orderNumber": "%s", "orderNumberSystem": "https://lis.small-lab.example/orders", "priority": "stat",
                 "orderedAt": "2026-11-25T08:25:00Z",
                 "tests": [{"code": "2345-7", "system": "http://loinc.org", "display": "Glucose"}],
                 "patient": {"mrn": "%s", "mrnSystem": "https://lis.small-lab.example/mrn", "family": "Doe"}}"""
                .formatted(number, mrn);
    }

    /**
     * The hostile-input suite over HTTP: the sample orders truncated, spliced, with control and delimiter bytes, huge
     * fields, or random bytes (CI sends {@code labops.fuzz.http}, default 60), with and without an Idempotency-Key.
     * Every answer is 202 or a problem below 500 without a stack trace, and an ordinary order is taken afterwards.
     */
    @Test
    void hostileBodiesAreAnsweredWithoutA5xxOrAStackTraceAndTheIntakeGoesOn() throws Exception {
        String tenant = newTenant(admin());
        String token = clientToken(admin(), tenant, "sandbox");
        byte[] sample = Files.readAllBytes(Path.of("..", "samples", "rest-orders.json"));
        int[] sent = {0};

        HostileInputs.mutationsOf(sample).sampleStream().limit(Integer.getInteger("labops.fuzz.http", 60))
                .forEach(body -> {
                    String text = new String(body, StandardCharsets.UTF_8);
                    try {
                        var answer = post(tenant, token, sent[0]++ % 2 == 0 ? null : "fuzz-" + sent[0], text);
                        String preview = text.length() > 300 ? text.substring(0, 300) + "..." : text;
                        assertThat(answer.statusCode()).as("answer %s to %s", answer.body(), preview)
                                .isBetween(200, 499);
                        assertThat(answer.body()).as(preview).doesNotContain("at labops.", "at org.", "Exception");
                        if (answer.statusCode() != 202) {
                            assertThat(answer.headers().firstValue("Content-Type")).as(preview)
                                    .hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });

        assertThat(post(tenant, token, null, orders(order("PON-F1", "MRN-F1"))).statusCode()).isEqualTo(202);
    }

    private HttpResponse<String> post(String tenant, String token, String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders/" + tenant
                        + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerRecord<byte[], byte[]> raw(String topic, String messageId) {
        return Eventually.await("raw message " + messageId, Duration.ofSeconds(20), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), topic).stream()
                        .filter(r -> header(r, RawHeaders.MESSAGE_ID).equals(messageId)).findFirst());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
