package labops.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import labops.ingress.IngressTest;
import labops.testsupport.EndpointMatrix;
import labops.testsupport.TenantFixture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every ingress HTTP endpoint refuses another tenant's credential, one without its scope, and no token. */
class IngressApiAccessTest extends IngressTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointRefusesAnotherTenantAMissingScopeAndNoToken() {
        var a = TenantFixture.create(tenantService());
        var b = TenantFixture.create(tenantService());
        var endpoints = EndpointMatrix.endpoints(mappings, EndpointMatrix.OPEN_PREFIXES);
        var victimAudit = tenantService().api(b.adminToken());

        var violations = EndpointMatrix.violations(ingress(null), endpoints,
                Map.of("tenantId", b.tenantId(), "environment", "sandbox", "batchId", UUID.randomUUID().toString(),
                        "row", "2"), a.tokens(), b.tokens(),
                () -> victimAudit.get("/api/tenants/" + b.tenantId() + "/integration").body()
                        .replaceAll("\"seenAt\":\"[^\"]*\"", ""));

        assertThat(endpoints).extracting(Object::toString).contains("POST /hl7/{tenantId}/{environment}",
                "POST /api/orders/{tenantId}/{environment}", "POST /api/imports/{tenantId}/{environment}",
                "POST /api/imports/{tenantId}/{environment}/{batchId}/approve",
                "PUT /api/imports/{tenantId}/{environment}/{batchId}/rows/{row}");
        assertThat(violations).isEmpty();
    }
}
