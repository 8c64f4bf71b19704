package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import labops.platform.security.LabOpsSecurityConfiguration;
import labops.testsupport.Api;
import labops.testsupport.EndpointMatrix;
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

/** Every workflow endpoint, from the application's own mappings, refuses other tenants, missing scopes and no token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TaskApiAccessTest extends ServiceStartupContract {

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
        var endpoints = EndpointMatrix.endpoints(mappings, LabOpsSecurityConfiguration.OPEN_PATHS_PREFIXES);

        var violations = EndpointMatrix.violations(api, endpoints, Map.of("tenantId", b.tenantId()), a.tokens(),
                b.tokens(), () -> Api.ok(api.withToken(b.staffToken()).get("/api/tenants/" + b.tenantId() + "/tasks")));

        assertThat(endpoints).extracting(Object::toString).contains("GET /api/tenants/{tenantId}/tasks");
        assertThat(violations).isEmpty();
        assertThat(api.withToken(b.staffToken()).get("/api/tenants/" + b.tenantId() + "/tasks").statusCode())
                .as("the tenant's own staff see their queue").isEqualTo(200);
    }
}
