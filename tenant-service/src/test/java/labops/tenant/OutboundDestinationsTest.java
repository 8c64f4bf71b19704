package labops.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import labops.tenant.connection.Direction;
import labops.tenant.golive.GoLiveRepository;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 28's first row, as a tenant admin would try it: result destinations and pull-data addresses that are internal
 * are refused when saved (the connect-time check is in platform's and delivery's tests), and a live production
 * address cannot be changed without a Lab Ops admin approving it.
 */
class OutboundDestinationsTest extends TenantServiceTest {

    @Autowired
    GoLiveRepository checklist;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            send-results | {"settings":{"kind":"webhook","address":"http://127.0.0.1:9977/internal-admin"}} | settings.address: 127.0.0.1 is a loopback address
            send-results | {"settings":{"kind":"webhook","address":"http://169.254.169.254/latest/meta-data/"}} | settings.address: 169.254.169.254 is a link-local address
            send-results | {"settings":{"kind":"fhir","address":"https://10.0.0.8/fhir","authentication":"none"}} | settings.address: 10.0.0.8 is a private address
            send-results | {"settings":{"kind":"webhook","address":"http://localhost:8090/"}} | settings.address: localhost resolves to an address that is a loopback address
            send-results | {"settings":{"kind":"hl7-mllp","address":"127.0.0.1:2575"}} | settings.address: 127.0.0.1 is a loopback address
            send-results | {"settings":{"kind":"webhook","address":"ftp://93.184.215.14/"}} | settings.address: must be an http or https URL
            pull-data | {"settings":{"fhirBaseUrl":"http://[::1]:8080/fhir","clientId":"c"}} | settings.fhirBaseUrl: ::1 is a loopback address
            pull-data | {"settings":{"fhirBaseUrl":"https://93.184.215.14/fhir","issuer":"http://192.168.1.5/auth"}} | settings.issuer: 192.168.1.5 is a private address
            """)
    void anInternalAddressIsRefusedWithAProblemNamingTheFieldAndNothingIsSaved(String direction, String body,
                                                                               String reason) {
        var admin = api(adminToken());
        String tenant = TenantAdminApiTest.newTenant(admin);
        String before = Api.ok(admin.get("/api/tenants/" + tenant + "/integration"));

        var refused = admin.put("/api/tenants/" + tenant + "/environments/sandbox/connections/" + direction, body);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        assertThat(JsonPath.<String>read(refused.body(), "$.detail")).startsWith(reason);
        assertThat(Api.ok(admin.get("/api/tenants/" + tenant + "/integration"))).isEqualTo(before);
    }

    @Test
    void theReceiverTheDeploymentAllowsAndPublicAddressesAreSaved() {
        var admin = api(adminToken());
        String tenant = TenantAdminApiTest.newTenant(admin);
        String base = "/api/tenants/" + tenant + "/environments/";

        Api.ok(admin.put(base + "sandbox/connections/send-results",
                "{\"settings\":{\"kind\":\"webhook\",\"address\":\"http://" + ALLOWED_RECEIVER + "/results\"}}"));
        Api.ok(admin.put(base + "production/connections/send-results",
                "{\"settings\":{\"kind\":\"hl7-mllp\",\"address\":\"93.184.215.14:2575\"}}"));
        Api.ok(admin.put(base + "sandbox/connections/pull-data",
                "{\"settings\":{\"fhirBaseUrl\":\"https://93.184.215.14/fhir\",\"clientId\":\"lab\"}}"));
        assertThat(admin.put(base + "sandbox/connections/send-results",
                "{\"settings\":{\"kind\":\"webhook\",\"address\":\"http://127.0.0.1:8201/results\"}}").statusCode())
                .as("the allow-list names a port, not the whole host").isEqualTo(422);
    }

    @Test
    void aLiveProductionAddressChangedAwaitsALabOpsAdminsApproval() {
        var admin = api(adminToken());
        String tenant = TenantAdminApiTest.newTenant(admin);
        String connection = "/api/tenants/" + tenant + "/environments/production/connections/send-results";
        String goLive = "/api/tenants/" + tenant + "/go-live/send-results";
        Api.ok(admin.put(connection, "{\"settings\":{\"kind\":\"webhook\",\"address\":\"https://93.184.215.14/r\"}}"));
        Api.ok(admin.post("/api/tenants/" + tenant + "/environments/production/connections/send-results"
                + "/signing-secrets", "{}"));
        for (String item : List.of("data-flow", "mapping", "patient-data-policy", "audit-requirements",
                "testing-window", "error-contact", "support-owner", "security-approval")) {
            Api.ok(admin.put(goLive + "/items/" + item, "{\"note\":\"agreed\"}"));
        }
        checklist.recordEvidence(tenant, Direction.SEND_RESULTS, Instant.now(), "a result delivered in sandbox");
        Api.ok(admin.post(goLive + "/activate", null));
        assertThat(sendResultsLive(admin, tenant)).isTrue();

        Api.ok(admin.put(connection, "{\"settings\":{\"kind\":\"webhook\",\"address\":\"https://93.184.215.14/r\"}}"));
        assertThat(sendResultsLive(admin, tenant)).as("the same address again changes nothing").isTrue();

        Api.ok(admin.put(connection, "{\"settings\":{\"kind\":\"webhook\",\"address\":\"https://93.184.215.15/r\"}}"));
        String view = Api.ok(admin.get("/api/tenants/" + tenant + "/integration"));
        assertThat(sendResultsLive(admin, tenant)).isFalse();
        assertThat(JsonPath.<List<Boolean>>read(view,
                "$.goLive[?(@.direction == 'send-results')].awaitingApproval")).containsExactly(true);

        Api.ok(admin.post(goLive + "/activate", null));
        assertThat(sendResultsLive(admin, tenant)).isTrue();
        assertThat(auditDecisions(tenant)).contains("out of service until a Lab Ops admin approves the new address")
                .contains("address change approved; live again");
    }

    private static boolean sendResultsLive(Api admin, String tenant) {
        return JsonPath.<List<Boolean>>read(Api.ok(admin.get("/api/tenants/" + tenant + "/integration")),
                "$.environments[?(@.name == 'production')].sendResults.state.active").get(0);
    }

    private static String auditDecisions(String tenant) {
        return String.join("\n", KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                        Topics.AUDIT_DECISIONS).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(tenant)).toList());
    }
}
