package labops.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.testsupport.Api;
import labops.testsupport.EndpointMatrix;
import labops.testsupport.TenantFixture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every tenant-service API endpoint, enumerated from the application's own mappings, called with another tenant's
 * token, a token without its scope and no token: 404/403/401, and the victim's configuration unchanged.
 */
class TenantApiAccessTest extends TenantServiceTest {

    /** The issuer's own pages and the public keys hospitals fetch: open by design, not part of the API. */
    private static final List<String> NOT_API = List.of("/login", "/jwks");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointRefusesAnotherTenantAMissingScopeAndNoToken() {
        var admin = api(adminToken());
        var a = TenantFixture.create(admin, TOKENS, CONSOLE);
        var b = TenantFixture.create(admin, TOKENS, CONSOLE);
        var victim = api(b.adminToken());
        var endpoints = EndpointMatrix.endpoints(mappings, concat(EndpointMatrix.OPEN_PREFIXES, NOT_API));
        Map<String, String> path = Map.of("tenantId", b.tenantId(), "environment", "sandbox",
                "direction", "send-results", "clientId", b.clientId(), "item", "data-flow",
                "userId", b.staffUserId(), "endpointId", UUID.randomUUID().toString());

        var violations = EndpointMatrix.violations(api(null), endpoints, path, a.tokens(), b.tokens(), () ->
                Api.ok(victim.get("/api/tenants/" + b.tenantId() + "/integration"))
                        + Api.ok(victim.get("/api/tenants/" + b.tenantId() + "/users")));

        assertThat(endpoints).hasSizeGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
