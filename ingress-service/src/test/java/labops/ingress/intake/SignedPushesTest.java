package labops.ingress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
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
import labops.platform.webhook.StandardWebhooks;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import org.junit.jupiter.api.Test;

/**
 * A connection that requires signed pushes requires them on every channel a hospital's system pushes to: REST and
 * FHIR as HL7 over HTTP ({@code Hl7OverHttpTest}). Unsigned is 401 in the channel's own terms; a signed push is
 * taken once; its webhook id again is a replay.
 */
class SignedPushesTest extends IngressTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORDER = """
            {"orders": [{"orderNumber": "PON-SIGNED-%s", "priority": "routine",
              "tests": [{"code": "2345-7", "system": "http://loinc.org"}],
              "patient": {"mrn": "MRN-S1", "family": "Doe", "given": ["Jane"], "birthDate": "1970-01-01",
                          "sex": "female"}}]}""";
    private static final String PATIENT = """
            {"resourceType": "Patient", "identifier": [{"system": "https://ehr.example/mrn", "value": "MRN-%s"}],
             "name": [{"family": "Doe"}]}""";

    @Test
    void restAndFhirPushesToASigningConnectionMustBeSignedAndAreTakenOnce() {
        var signing = SigningTenant.create();
        String tenant = signing.tenant();
        String token = signing.token();
        String secret = signing.secret();
        String rest = "/api/orders/" + tenant + "/sandbox";
        String fhir = "/fhir/" + tenant + "/sandbox/Patient";
        Eventually.await("signatures required", Duration.ofSeconds(10), () ->
                post(rest, "application/json", token, ORDER.formatted("UNSIGNED"), Map.of()).statusCode() == 401
                        ? Optional.of(true) : Optional.empty());

        var unsignedRest = post(rest, "application/json", token, ORDER.formatted("U1"), Map.of());
        var unsignedFhir = post(fhir, "application/fhir+json", token, PATIENT.formatted("U1"), Map.of());
        assertThat(unsignedRest.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(unsignedRest.body(), "$.detail")).contains("webhook-signature headers are required");
        assertThat(unsignedFhir.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(unsignedFhir.body(), "$.resourceType")).isEqualTo("OperationOutcome");
        assertThat(unsignedFhir.body()).contains("webhook-signature headers are required");

        for (var push : List.of(new Push(rest, "application/json", ORDER.formatted("S1"), 202),
                new Push(fhir, "application/fhir+json", PATIENT.formatted("S1"), 201))) {
            String id = "msg_" + UUID.randomUUID();
            var taken = post(push.path(), push.type(), token, push.body(), signed(id, push.body(), secret));
            var again = post(push.path(), push.type(), token, push.body(), signed(id, push.body(), secret));
            var wrong = post(push.path(), push.type(), token, push.body(), signed("msg_" + UUID.randomUUID(),
                    push.body(), "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])));

            assertThat(taken.statusCode()).as(push.path() + ": " + taken.body()).isEqualTo(push.taken());
            assertThat(again.statusCode()).as(push.path() + " again").isEqualTo(401);
            assertThat(again.body()).contains("this webhook-id was already received");
            assertThat(wrong.statusCode()).as(push.path() + " wrongly signed").isEqualTo(401);
            assertThat(wrong.body()).contains("no webhook-signature matches");
        }
    }

    private record Push(String path, String type, String body, int taken) {
    }

    /** A new tenant whose sandbox requires signed pushes, with an API client's token and the signing secret. */
    private record SigningTenant(String tenant, String token, String secret) {

        static SigningTenant create() {
            var admin = admin();
            String tenant = newTenant(admin);
            String base = "/api/tenants/" + tenant + "/environments/sandbox/connections/receive-orders";
            String secret = JsonPath.read(Api.ok(admin.post(base + "/signing-secrets", "{}")), "$.secret");
            Api.ok(admin.put(base, "{\"signatureRequired\":true}"));
            return new SigningTenant(tenant, clientToken(admin, tenant, "sandbox"), secret);
        }
    }

    /** A file pushed by the hospital's system is a push too; a person uploading it in the console is signed in. */
    @Test
    void filesUploadedByTheHospitalsSystemMustBeSignedAndPeopleUploadAsBefore() {
        var signing = SigningTenant.create();
        String tenant = signing.tenant();
        String token = signing.token();
        String secret = signing.secret();
        String uploads = "/api/imports/" + tenant + "/sandbox?fileName=orders.csv";
        String file = "order_number,mrn,family_name,given_name,birth_date,sex,tests,priority,notes\r\n";
        Eventually.await("signatures required", Duration.ofSeconds(10), () ->
                post(uploads, "text/csv", token, file, Map.of()).statusCode() == 401 ? Optional.of(true)
                        : Optional.empty());

        var unsigned = post(uploads, "text/csv", token, file, Map.of());
        String id = "msg_" + UUID.randomUUID();
        var signed = post(uploads, "text/csv", token, file, signed(id, file, secret));
        var again = post(uploads, "text/csv", token, file, signed(id, file, secret));
        var tampered = post(uploads, "text/csv", token, file + "PON-X,MRN,Doe,J,1970-01-01,F,GLU,,\r\n",
                signed("msg_" + UUID.randomUUID(), file, secret));

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(unsigned.body(), "$.detail")).contains("webhook-signature headers are required");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
        assertThat(again.statusCode()).as("the same webhook id again").isEqualTo(401);
        assertThat(again.body()).contains("this webhook-id was already received");
        assertThat(tampered.statusCode()).as("a signature over another file").isEqualTo(401);
        assertThat(tampered.body()).contains("no webhook-signature matches");
    }

    private static Map<String, String> signed(String id, String body, String secret) {
        long seconds = Instant.now().getEpochSecond();
        return Map.of(StandardWebhooks.ID, id, StandardWebhooks.TIMESTAMP, Long.toString(seconds),
                StandardWebhooks.SIGNATURE, StandardWebhooks.sign(id, seconds, body.getBytes(StandardCharsets.UTF_8),
                        List.of(secret)));
    }

    private HttpResponse<String> post(String path, String type, String token, String body, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", type).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        }
    }
}
