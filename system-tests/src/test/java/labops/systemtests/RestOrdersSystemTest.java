package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.TenantFixture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Small labs through the running services: a REST JSON order becomes an order in the staff queue, and the sender
 * reads that it was normalized (and into which events) under the id the 202 gave it; a CSV import's row becomes one
 * only once a person approves it, is checked at upload against the tenant's mapping profile and its existing orders,
 * previews as the canonical order it will be, and is in the tenant's export once it is an order.
 */
@Order(4)
class RestOrdersSystemTest {

    @Test
    void anOrderBecomesAQueuedOrderAndItsFateIsReadable() throws Exception {
        var system = LabOpsSystem.get();
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        String number = "PON-REST-" + UUID.randomUUID().toString().substring(0, 8);
        String body = """
                {"orders": [{"orderNumber": "%s", "priority": "stat",
                  "tests": [{"code": "2345-7", "system": "http://loinc.org", "display": "Glucose"}],
                  "patient": {"mrn": "MRN-REST-1", "mrnSystem": "https://lis.small-lab.example/mrn", "family": "Rest"}}]}"""
                .formatted(number);

        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.url("ingress-service")
                        + "/api/orders/" + LabOpsSystem.TENANT + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", number)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = JsonPath.read(answer.body(), "$.orders[0].id");
        var sender = system.api("audit-service", token);
        String fate = Eventually.await("the order normalized", Duration.ofSeconds(60), () -> {
            var read = sender.get("/api/tenants/" + LabOpsSystem.TENANT + "/environments/sandbox/messages/" + id);
            return read.statusCode() == 200 && read.body().contains("\"normalized\"") ? Optional.of(read.body())
                    : Optional.empty();
        });
        assertThat(JsonPath.<List<String>>read(fate, "$.events[*].type"))
                .containsExactlyInAnyOrder("PatientEvent", "LabOrderEvent");
        var queue = system.api("workflow-service", system.tenantAdminToken());
        String tasks = Eventually.await("the order in the staff queue", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains(number) ? Optional.of(open) : Optional.empty();
        });
        assertThat(tasks).contains("STAT");
    }

    @Test
    void anApprovedImportRowBecomesAQueuedOrderAndNothingBeforeApproval() throws Exception {
        var system = LabOpsSystem.get();
        String admin = system.tenantAdminToken();
        String number = "PON-CSV-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = "order_number,mrn,family_name,tests,priority\r\n" + number + ",MRN-CSV-1,Csv,2345-7,stat\r\n";
        var http = HttpClient.newHttpClient();
        String base = system.url("ingress-service") + "/api/imports/" + LabOpsSystem.TENANT + "/sandbox";

        var uploaded = http.send(HttpRequest.newBuilder(URI.create(base + "?fileName=orders.csv"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String batch = JsonPath.read(uploaded.body(), "$.id");
        var queue = system.api("workflow-service", admin);
        assertThat(Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"))).doesNotContain(number);

        var approved = http.send(HttpRequest.newBuilder(URI.create(base + "/" + batch + "/approve"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(JsonPath.<List<Integer>>read(approved.body(), "$.published[*].row")).containsExactly(2);
        Eventually.await("the approved row in the staff queue", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains(number) ? Optional.of(open) : Optional.empty();
        });
    }

    /** Issue 28: the memory of received webhook ids is shared, so a replay to another ingress instance is refused. */
    @Test
    void aSignedPushReplayedToASecondIngressInstanceIsRefused() throws Exception {
        var system = LabOpsSystem.get();
        var signing = SigningHospital.create(system);
        String body = signing.order("PON-REPLAY");
        String first = system.url("ingress-service");
        try (var second = system.startSecondIngress()) {
            var signature = signing.sign("msg_" + UUID.randomUUID(), body);

            var taken = push(first + signing.path(), signing.token(), body, signature);
            var replayed = push("http://127.0.0.1:" + second.port() + signing.path(), signing.token(), body, signature);

            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
            assertThat(replayed.statusCode()).as("the same push, to the other instance").isEqualTo(401);
            assertThat(replayed.body()).contains("this webhook-id was already received");
        }
    }

    /** A hospital whose sandbox requires signed pushes, with its REST orders path, API token and signing secret. */
    record SigningHospital(String path, String token, String secret) {

        static SigningHospital create(LabOpsSystem system) {
            var hospital = TenantFixture.create(system.tenantService());
            var settings = system.tenantService().api(hospital.adminToken());
            String base = "/api/tenants/" + hospital.tenantId() + "/environments/sandbox/connections/receive-orders";
            String secret = JsonPath.read(Api.ok(settings.post(base + "/signing-secrets", "{}")), "$.secret");
            Api.ok(settings.put(base, "{\"signatureRequired\":true}"));
            var signing = new SigningHospital("/api/orders/" + hospital.tenantId() + "/sandbox", hospital.clientToken(),
                    secret);
            String ingress = system.url("ingress-service");
            Eventually.await("signatures required", Duration.ofSeconds(20), () ->
                    push(ingress + signing.path(), signing.token(), signing.order("PON-UNSIGNED"), Map.of())
                            .statusCode() == 401 ? Optional.of(true) : Optional.empty());
            return signing;
        }

        String order(String prefix) {
            return """
                    {"orders": [{"orderNumber": "%s-%s", "tests": [{"code": "2345-7", "system": "http://loinc.org"}],
                      "patient": {"mrn": "MRN-SIGNED-1", "family": "Signed"}}]}""".formatted(prefix, UUID.randomUUID());
        }

        /** Standard Webhooks headers as the hospital's own code makes them (not Lab Ops' signing code). */
        Map<String, String> sign(String id, String body) {
            long at = java.time.Instant.now().getEpochSecond();
            try {
                var mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(
                        secret.substring("whsec_".length())), "HmacSHA256"));
                return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(at), "webhook-signature",
                        "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal((id + "." + at + "." + body)
                                .getBytes(StandardCharsets.UTF_8))));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static HttpResponse<String> push(String url, String token, String body, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST " + url + " failed: " + e, e);
        }
    }

    @Test
    void importRowsAreCheckedAgainstTheProfileAndExistingOrdersPreviewedAndExported() throws Exception {
        var system = LabOpsSystem.get();
        var lab = TenantFixture.create(system.tenantService());
        String tenant = lab.tenantId();
        Api.ok(system.api("normalizer-service", lab.adminToken()).put("/api/tenants/" + tenant
                + "/environments/sandbox/mapping-profile", """
                {"testCodes": [{"local": "GLU", "loinc": "1558-6", "display": "Fasting glucose"}],
                 "unknownTestCodes": "DEAD_LETTER"}"""));
        String placed = "PON-IMP-" + UUID.randomUUID().toString().substring(0, 8);
        String fresh = "PON-IMP-" + UUID.randomUUID().toString().substring(0, 8);
        String header = "order_number,mrn,family_name,tests\r\n";
        String base = system.url("ingress-service") + "/api/imports/" + tenant + "/sandbox";
        String first = JsonPath.read(upload(base, lab.staffToken(), header + placed + ",MRN-I1,Imp,GLU\r\n"), "$.id");
        send(base + "/" + first + "/approve", lab.staffToken(), "POST", "{}");
        var workflow = system.api("workflow-service", lab.staffToken());
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String exported = Eventually.await("the approved row an order", Duration.ofSeconds(60), () -> {
            String orders = Api.ok(workflow.get("/api/exports/" + tenant + "/sandbox/orders?from=" + today));
            return orders.contains(placed) ? Optional.of(orders) : Optional.empty();
        });
        assertThat(exported).startsWith("order_number,status,").contains(placed + ",received,UNSPECIFIED,1558-6 Fasting glucose,MRN-I1");

        String second = JsonPath.read(upload(base, lab.staffToken(), header + placed + ",MRN-I1,Imp,GLU\r\n"
                + "PON-IMP-X,MRN-I2,Imp,XYZ\r\n" + fresh + ",MRN-I3,Imp,GLU\r\n"), "$.id");
        String rows = send(base + "/" + second, lab.staffToken(), "GET", null);
        String preview = send(base + "/" + second + "/preview", lab.staffToken(), "GET", null);

        assertThat(JsonPath.<List<String>>read(rows, "$.rows[*].status")).containsExactly("invalid", "invalid", "valid");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[0].reasons")).singleElement().asString()
                .startsWith("order number " + placed + " is an order already (received " + today);
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[1].reasons"))
                .containsExactly("column 'tests': test code XYZ is not in the mapping profile (version 1)");
        assertThat(JsonPath.<List<Integer>>read(preview, "$[*].row")).containsExactly(4);
        assertThat(JsonPath.<String>read(preview, "$[0].order")).contains("\"value\": \"" + fresh + "\"",
                "\"code\": \"1558-6\"", "\"format\": \"CSV\"");
    }

    private static String upload(String url, String token, String csv) throws Exception {
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "?fileName=orders.csv"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return answer.body();
    }

    private static String send(String url, String token, String method, String json) throws Exception {
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
