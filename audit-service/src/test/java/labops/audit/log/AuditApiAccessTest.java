package labops.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Every audit endpoint, from the application's own mappings, refuses other tenants, missing scopes and no token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditApiAccessTest extends ApiAccessContract {

    @Test
    void everyEndpointRefusesAnotherTenantAMissingScopeAndNoToken() {
        var a = tenant();
        var b = tenant();
        var victim = api().withToken(b.adminToken());
        String entries = "/api/tenants/" + b.tenantId() + "/audit";
        // The tenant's creation, its two people and its credential were audited; wait until the log has them all.
        Eventually.await("the fixture's changes audited", Duration.ofSeconds(30), () ->
                JsonPath.<List<String>>read(Api.ok(victim.get(entries)), "$[*].action").size() >= 4
                        ? Optional.of(true) : Optional.empty());

        var violations = violations(a, b, Map.of("tenantId", b.tenantId(), "environment", "sandbox",
                "messageId", UUID.randomUUID().toString()), () -> Api.ok(victim.get(entries)));

        assertThat(endpoints()).extracting(Object::toString)
                .contains("GET /api/tenants/{tenantId}/audit", "GET /api/tenants/{tenantId}/audit/verify",
                        "GET /api/tenants/{tenantId}/environments/{environment}/messages/{messageId}");
        assertThat(violations).isEmpty();
        String own = Api.ok(victim.get(entries));
        assertThat(JsonPath.<List<String>>read(own, "$[*].tenantId")).containsOnly(b.tenantId());
        assertThat(JsonPath.<List<String>>read(own, "$[*].action")).contains("tenant.created", "user.created",
                "credential.created");
    }
}
