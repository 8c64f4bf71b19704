package labops.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import labops.platform.security.LabOpsSecurityConfiguration;
import labops.testsupport.Api;
import labops.testsupport.EndpointMatrix;
import labops.testsupport.Eventually;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.ServiceStartupContract;
import labops.testsupport.TenantFixture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every audit endpoint, from the application's own mappings, refuses other tenants, missing scopes and no token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditApiAccessTest extends ServiceStartupContract {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerIssuer(registry, null);
    }

    @Test
    void everyEndpointRefusesAnotherTenantAMissingScopeAndNoToken() {
        var a = TenantFixture.create(LabOpsInfrastructure.tenantService());
        var b = TenantFixture.create(LabOpsInfrastructure.tenantService());
        var api = new Api("http://127.0.0.1:" + port, null);
        var victim = api.withToken(b.adminToken());
        String entries = "/api/tenants/" + b.tenantId() + "/audit";
        // The tenant's creation, its two people and its credential were audited; wait until the log has them all.
        Eventually.await("the fixture's changes audited", Duration.ofSeconds(30), () ->
                JsonPath.<List<String>>read(Api.ok(victim.get(entries)), "$[*].action").size() >= 4
                        ? Optional.of(true) : Optional.empty());
        var endpoints = EndpointMatrix.endpoints(mappings, LabOpsSecurityConfiguration.OPEN_PATHS_PREFIXES);

        var violations = EndpointMatrix.violations(api, endpoints, Map.of("tenantId", b.tenantId()), a.tokens(),
                b.tokens(), () -> Api.ok(victim.get(entries)));

        assertThat(endpoints).extracting(Object::toString)
                .contains("GET /api/tenants/{tenantId}/audit", "GET /api/tenants/{tenantId}/audit/verify");
        assertThat(violations).isEmpty();
        String own = Api.ok(victim.get(entries));
        assertThat(JsonPath.<List<String>>read(own, "$[*].tenantId")).containsOnly(b.tenantId());
        assertThat(JsonPath.<List<String>>read(own, "$[*].action")).contains("tenant.created", "user.created",
                "credential.created");
    }
}
