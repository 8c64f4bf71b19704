package labops.normalizer.hl7;

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

/** The normalizer's endpoints (payload guidance) refuse no token and a token without their scope. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GuideApiAccessTest extends ServiceStartupContract {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerIssuer(registry, null);
    }

    @Test
    void everyEndpointRefusesAMissingScopeAndNoToken() {
        var a = TenantFixture.create(LabOpsInfrastructure.tenantService());
        var b = TenantFixture.create(LabOpsInfrastructure.tenantService());
        var api = new Api("http://127.0.0.1:" + port, null);
        var endpoints = EndpointMatrix.endpoints(mappings, LabOpsSecurityConfiguration.OPEN_PATHS_PREFIXES);

        var violations = EndpointMatrix.violations(api, endpoints, Map.of("tenantId", b.tenantId()), a.tokens(),
                b.tokens(), () -> "the guide has no tenant state");

        assertThat(endpoints).extracting(Object::toString).contains("GET /api/guide/hl7v2");
        assertThat(violations).isEmpty();
        assertThat(Api.ok(api.withToken(b.adminToken()).get("/api/guide/hl7v2"))).contains("ORM^O01", "PON-1001");
    }
}
