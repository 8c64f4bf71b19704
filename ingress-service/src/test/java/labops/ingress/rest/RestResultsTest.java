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
import labops.ingress.IngressTest;
import labops.schemas.RawHeaders;
import labops.schemas.rest.RestResults;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.HostileInputs;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.TenantFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The REST result API as a small lab uses it: from its own system (an API credential with {@code results.write}) or
 * by a person on the result-review page, whose username goes with the result so they cannot release it.
 */
class RestResultsTest extends IngressTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPersonsResultCarriesTheirNameAndASystemsDoesNot() throws Exception {
        TenantFixture lab = TenantFixture.create(tenantService());
        String system = resultsClientToken(lab.tenantId());

        var entered = post(lab.tenantId(), lab.staffToken(), null, results(result("PON-E1", "high")));
        var sent = post(lab.tenantId(), system, null, results(result("PON-E2", "normal")));

        assertThat(entered.statusCode()).as(entered.body()).isEqualTo(202);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        assertThat(JsonPath.<List<String>>read(entered.body(), "$.results[*].orderNumber")).containsExactly("PON-E1");
        var byPerson = raw(JsonPath.read(entered.body(), "$.results[0].id"));
        var bySystem = raw(JsonPath.read(sent.body(), "$.results[0].id"));
        assertThat(header(byPerson, RawHeaders.CONTENT_TYPE)).isEqualTo(RestResults.CONTENT_TYPE);
        assertThat(header(byPerson, RawHeaders.ENTERED_BY)).isEqualTo("staff-" + lab.tenantId());
        assertThat(header(bySystem, RawHeaders.ENTERED_BY)).as("no person entered it").isEmpty();
        assertThat(new String(byPerson.value(), StandardCharsets.UTF_8)).contains("\"PON-E1\"");
        assertThat(new String(byPerson.key(), StandardCharsets.UTF_8)).doesNotContain("MRN");
        assertThat(post(lab.tenantId(), lab.clientToken(), null, results(result("PON-E3", "high"))).statusCode())
                .as("a credential for orders only").isEqualTo(403);
    }

    @Test
    void everyInvalidFieldIsNamedByJsonPointerAndKeysDoNotCollideWithOrders() throws Exception {
        TenantFixture lab = TenantFixture.create(tenantService());
        String invalid = results(result("PON-V1", "high"), """
                {"orderNumber": "", "status": "done", "patient": {"mrn": "MRN-1"},
                 "observations": [{"code": "2345-7", "value": " ", "interpretation": "very-high"}]}""");

        var answer = post(lab.tenantId(), lab.staffToken(), null, invalid);
        var noObservations = post(lab.tenantId(), lab.staffToken(), null,
                results("{\"orderNumber\": \"PON-V2\", \"patient\": {\"mrn\": \"MRN-1\"}, \"observations\": []}"));

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).doesNotContain("Exception", "at labops.");
        assertThat(JsonPath.<List<String>>read(answer.body(), "$.errors[*].pointer")).containsExactlyInAnyOrder(
                "/results/1/orderNumber", "/results/1/status", "/results/1/observations/0/value",
                "/results/1/observations/0/interpretation");
        assertThat(noObservations.statusCode()).as(noObservations.body()).isEqualTo(422);
        assertThat(JsonPath.<List<String>>read(noObservations.body(), "$.errors[*].pointer"))
                .containsExactly("/results/0/observations");

        // One Idempotency-Key on the orders API and on the results API: two requests, not a reuse.
        String key = "shared-key";
        assertThat(postTo("orders", lab.tenantId(), resultsClientToken(lab.tenantId(), "orders.write"), key,
                Files.readString(Path.of("..", "samples", "rest-orders.json"))).statusCode()).isEqualTo(202);
        assertThat(post(lab.tenantId(), lab.staffToken(), key, results(result("PON-K1", "high"))).statusCode())
                .isEqualTo(202);
    }

    /** Mutated copies of the sample (CI sends {@code labops.fuzz.http}, default 60): never a 5xx or a stack trace. */
    @Test
    void hostileBodiesAreAnsweredWithoutA5xxOrAStackTraceAndTheIntakeGoesOn() throws Exception {
        TenantFixture lab = TenantFixture.create(tenantService());
        byte[] sample = Files.readAllBytes(Path.of("..", "samples", "rest-results.json"));
        int[] sent = {0};

        HostileInputs.mutationsOf(sample).sampleStream().limit(Integer.getInteger("labops.fuzz.http", 60))
                .forEach(body -> {
                    String text = new String(body, StandardCharsets.UTF_8);
                    try {
                        var answer = post(lab.tenantId(), lab.staffToken(), sent[0]++ % 2 == 0 ? null
                                : "fuzz-" + sent[0], text);
                        String preview = text.length() > 300 ? text.substring(0, 300) + "..." : text;
                        assertThat(answer.statusCode()).as("answer %s to %s", answer.body(), preview)
                                .isBetween(200, 499);
                        assertThat(answer.body()).as(preview).doesNotContain("at labops.", "at org.", "Exception");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });

        assertThat(post(lab.tenantId(), lab.staffToken(), null, results(result("PON-F1", "high"))).statusCode())
                .isEqualTo(202);
    }

    private static String results(String... results) {
        return "{\"results\": [" + String.join(",", results) + "]}";
    }

    private static String result(String order, String interpretation) {
        return """
                {"orderNumber": "%s", "status": "final", "patient": {"mrn": "MRN-1", "mrnSystem": "DEMO-HOSPITAL"},
                 "observations": [{"code": "2345-7", "system": "http://loinc.org", "value": "182", "unit": "mg/dL",
                                   "referenceRange": "70-99", "interpretation": "%s"}]}""".formatted(order, interpretation);
    }

    /** A sandbox API credential of the lab's own system, with {@code scope} (results.write unless named). */
    private static String resultsClientToken(String tenant, String... scope) {
        String issued = Api.ok(admin().post("/api/tenants/" + tenant + "/environments/sandbox/credentials",
                "{\"name\":\"LIS\",\"scopes\":[\"" + (scope.length == 0 ? "results.write" : scope[0]) + "\"]}"));
        return tenantService().tokens().clientCredentials(JsonPath.read(issued, "$.clientId"),
                JsonPath.read(issued, "$.clientSecret"));
    }

    private HttpResponse<String> post(String tenant, String token, String key, String body) throws Exception {
        return postTo("results", tenant, token, key, body);
    }

    private HttpResponse<String> postTo(String api, String tenant, String token, String key, String body)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/" + api + "/" + tenant
                        + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerRecord<byte[], byte[]> raw(String messageId) {
        return Eventually.await("raw message " + messageId, Duration.ofSeconds(20), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_REST).stream()
                        .filter(r -> header(r, RawHeaders.MESSAGE_ID).equals(messageId)).findFirst());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
