package labops.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The admin API as the console and an integrator use it, over HTTP with real tokens from this issuer. */
class TenantAdminApiTest extends TenantServiceTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aLabOpsAdminCreatesTenantsAndATenantAdminSeesOnlyTheirOwn() {
        var admin = api(adminToken());
        String a = newTenant(admin);
        String b = newTenant(admin);
        createUser(admin, a, "admin-" + a, "tenant-admin");

        var tenantAdmin = api(TOKENS.person(CONSOLE, "admin-" + a, "a-long-enough-password"));

        assertThat(JsonPath.<List<String>>read(Api.ok(tenantAdmin.get("/api/tenants")), "$[*].id")).containsExactly(a);
        assertThat(tenantAdmin.get("/api/tenants/" + b).statusCode()).isEqualTo(404);
        assertThat(tenantAdmin.get("/api/tenants/" + a + "/integration").statusCode()).isEqualTo(200);
        assertThat(tenantAdmin.post("/api/tenants", "{\"id\":\"x-" + a + "\",\"name\":\"X\"}").statusCode())
                .as("only Lab Ops admins create tenants").isEqualTo(403);
        assertThat(JsonPath.<List<String>>read(Api.ok(admin.get("/api/tenants")), "$[*].id")).contains(a, b);
    }

    @Test
    void theAdminApiIsDescribedWithOpenApi() {
        String description = Api.ok(api(null).get("/v3/api-docs"));

        assertThat(description).contains("/api/tenants/{tenantId}/environments/{environment}/credentials",
                "/api/tenants/{tenantId}/go-live/{direction}/activate", "API credentials")
                .doesNotContain("\"caller\"");
    }

    @Test
    void badInputIsAnsweredWithProblemJsonNamingTheField() {
        var response = api(adminToken()).post("/api/tenants", "{\"id\":\"Not Valid!\",\"name\":\"\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("/id").contains("/name").doesNotContain("Exception");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCredentialSecretIsShownOnceStoredOnlyAsAHashAndExchangedForAShortTenantToken() {
        var admin = api(adminToken());
        String tenant = newTenant(admin);

        var issued = credential(admin, tenant, "sandbox");
        String clientId = JsonPath.read(issued, "$.clientId");
        String secret = JsonPath.read(issued, "$.clientSecret");

        String listed = Api.ok(admin.get("/api/tenants/" + tenant + "/environments/sandbox/credentials"));
        assertThat(listed).contains(clientId).doesNotContain(secret);
        String stored = jdbc.sql("select string_agg(s.secret_hash, ' ') from tenant.api_credential_secret s "
                + "join tenant.api_credential c on c.id = s.credential_id where c.client_id = ?")
                .param(clientId).query(String.class).single();
        assertThat(stored).startsWith("{bcrypt}").doesNotContain(secret);

        Map<String, Object> claims = claims(TOKENS.clientCredentials(clientId, secret));
        assertThat(claims).containsEntry("tenant", tenant).containsEntry("environment", "sandbox")
                .containsEntry("kind", "client").containsEntry("sub", clientId).containsEntry("iss", ISSUER);
        assertThat((List<Object>) claims.get("scope")).containsExactlyInAnyOrder("orders.write", "results.read");
        long lifetime = ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
        assertThat(lifetime).isLessThanOrEqualTo(300);
    }

    @Test
    void duringARotationBothSecretsWorkAndAfterAZeroOverlapOnlyTheNewOne() {
        var admin = api(adminToken());
        String tenant = newTenant(admin);
        var issued = credential(admin, tenant, "sandbox");
        String clientId = JsonPath.read(issued, "$.clientId");
        String first = JsonPath.read(issued, "$.clientSecret");
        String path = "/api/tenants/" + tenant + "/environments/sandbox/credentials/" + clientId;

        String second = JsonPath.read(Api.ok(admin.post(path + "/rotate", "{\"overlap\":\"PT1H\"}")), "$.clientSecret");
        assertThat(TOKENS.requestClientCredentials(clientId, first).statusCode()).isEqualTo(200);
        assertThat(TOKENS.requestClientCredentials(clientId, second).statusCode()).isEqualTo(200);

        String third = JsonPath.read(Api.ok(admin.post(path + "/rotate", "{\"overlap\":\"PT0S\"}")), "$.clientSecret");
        assertThat(TOKENS.requestClientCredentials(clientId, first).statusCode()).isEqualTo(401);
        assertThat(TOKENS.requestClientCredentials(clientId, second).statusCode()).isEqualTo(401);
        assertThat(TOKENS.requestClientCredentials(clientId, third).statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedCredentialGetsNoNewTokenAndItsIssuedTokensStopWorking() {
        var admin = api(adminToken());
        String tenant = newTenant(admin);
        var issued = credential(admin, tenant, "sandbox");
        String clientId = JsonPath.read(issued, "$.clientId");
        String secret = JsonPath.read(issued, "$.clientSecret");
        var client = api(TOKENS.clientCredentials(clientId, secret));
        String someApi = "/api/tenants/" + tenant;
        Eventually.await("the client's token honoured (403: it lacks tenant.admin)", Duration.ofSeconds(10), () ->
                client.get(someApi).statusCode() == 403 ? Optional.of(true) : Optional.empty());

        Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/credentials/" + clientId + "/revoke", null));

        assertThat(TOKENS.requestClientCredentials(clientId, secret).statusCode()).isEqualTo(401);
        Eventually.await("the issued token refused", Duration.ofSeconds(5), () ->
                client.get(someApi).statusCode() == 401 ? Optional.of(true) : Optional.empty());
    }

    @Test
    void aSuspensionAndItsAuditDecisionReachKafkaWithoutAnySecret() {
        var admin = api(adminToken());
        String tenant = newTenant(admin);
        String signing = JsonPath.read(Api.ok(admin.post("/api/tenants/" + tenant
                + "/environments/sandbox/connections/send-results/signing-secrets", "{}")), "$.secret");

        Api.ok(admin.post("/api/tenants/" + tenant + "/suspend", null));

        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        String latest = Eventually.await("the suspended configuration", Duration.ofSeconds(10), () ->
                KafkaTopicReader.readAll(bootstrap, Topics.TENANT_CONFIG).stream()
                        .filter(r -> tenant.equals(new String(r.key(), StandardCharsets.UTF_8)))
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .reduce((x, y) -> y).filter(v -> v.contains("\"suspended\":true")));
        assertThat(latest).doesNotContain(signing).doesNotContain(signing.substring("whsec_".length()));
        var decisions = KafkaTopicReader.readAll(bootstrap, Topics.AUDIT_DECISIONS).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).filter(v -> v.contains(tenant)).toList();
        assertThat(decisions).anySatisfy(d -> assertThat(d).contains("tenant.suspended").contains(ADMIN));
        assertThat(decisions).anySatisfy(d -> assertThat(d).contains("signing-secret.rotated"));
        assertThat(decisions).allSatisfy(d -> assertThat(d).doesNotContain(signing.substring("whsec_".length())));
    }

    @Test
    void signingSecretsAreSealedAtRestAndOnlyLabOpsServicesReadTheirValues() {
        var admin = api(adminToken());
        String tenant = newTenant(admin);
        String secret = JsonPath.read(Api.ok(admin.post("/api/tenants/" + tenant
                + "/environments/sandbox/connections/receive-orders/signing-secrets", "{}")), "$.secret");

        String sealed = jdbc.sql("select string_agg(ciphertext || key_id || fingerprint, ' ') from tenant.connection_secret "
                + "where tenant_id = ?").param(tenant).query(String.class).single();
        assertThat(sealed).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
        String page = Api.ok(admin.get("/api/tenants/" + tenant + "/integration"));
        assertThat(page).doesNotContain(secret.substring("whsec_".length()));

        String values = "/api/service/tenants/" + tenant + "/environments/sandbox/signing-secrets/receive-orders";
        assertThat(admin.get(values).statusCode()).as("people never read values").isEqualTo(403);
        var service = api(TOKENS.clientCredentials(SERVICE_CLIENT, SERVICE_SECRET));
        assertThat(JsonPath.<List<String>>read(Api.ok(service.get(values)), "$[*].secret")).containsExactly(secret);
    }

    @Test
    void productionGoesLiveOnlyWithTheChecklistDoneAndASandboxSuccess() throws Exception {
        var admin = api(adminToken());
        String tenant = newTenant(admin);
        String goLive = "/api/tenants/" + tenant + "/go-live/receive-orders";

        var refused = admin.post(goLive + "/activate", null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("Security approval given").contains("no success in sandbox yet");

        for (String item : List.of("data-flow", "mapping", "patient-data-policy", "audit-requirements", "testing-window",
                "error-contact", "support-owner", "security-approval")) {
            Api.ok(admin.put(goLive + "/items/" + item, "{\"note\":\"agreed with the hospital\"}"));
        }
        assertThat(admin.post(goLive + "/activate", null).body()).contains("no success in sandbox yet")
                .doesNotContain("checklist:");

        acceptedInSandbox(tenant);
        Eventually.await("sandbox evidence recorded", Duration.ofSeconds(20), () ->
                JsonPath.<List<Object>>read(Api.ok(admin.get("/api/tenants/" + tenant + "/integration")),
                        "$.goLive[?(@.direction == 'receive-orders')].sandboxEvidence.reference").isEmpty()
                        ? Optional.empty() : Optional.of(true));
        Api.ok(admin.post(goLive + "/activate", null));

        String view = Api.ok(admin.get("/api/tenants/" + tenant + "/integration"));
        assertThat(JsonPath.<List<Boolean>>read(view,
                "$.environments[?(@.name == 'production')].receiveOrders.state.active")).containsExactly(true);
        assertThat(JsonPath.<List<String>>read(view,
                "$.goLive[?(@.direction == 'receive-orders')].checklist[?(@.id == 'security-approval')].completed.completedBy"))
                .containsExactly(ADMIN);
    }

    private static void acceptedInSandbox(String tenant) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers",
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<String, byte[]>(Topics.RAW_HL7V2, tenant, "MSH|...".getBytes());
            record.headers().add(RawHeaders.TENANT, tenant.getBytes()).add(RawHeaders.ENVIRONMENT, "sandbox".getBytes())
                    .add(RawHeaders.CHANNEL, "http-hl7".getBytes())
                    .add(RawHeaders.MESSAGE_ID, UUID.randomUUID().toString().getBytes());
            producer.send(record).get();
        }
    }

    static String newTenant(Api admin) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + id + "\",\"name\":\"Hospital " + id + "\"}"));
        return id;
    }

    static String credential(Api admin, String tenant, String environment) {
        return Api.ok(admin.post("/api/tenants/" + tenant + "/environments/" + environment + "/credentials",
                "{\"name\":\"EHR\",\"scopes\":[\"orders.write\",\"results.read\"]}"));
    }

    static void createUser(Api admin, String tenant, String username, String role) {
        Api.ok(admin.post("/api/tenants/" + tenant + "/users", "{\"username\":\"" + username
                + "\",\"displayName\":\"Someone\",\"role\":\"" + role + "\",\"password\":\"a-long-enough-password\"}"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String jwt) {
        return JsonPath.parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8))
                .read("$", Map.class);
    }
}
