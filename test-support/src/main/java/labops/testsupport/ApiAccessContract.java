package labops.testsupport;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What every service's API must do for tenants: a test extends this (with {@code @SpringBootTest(RANDOM_PORT)}), gets
 * two fresh tenants from the real tenant-service, and runs {@link EndpointMatrix} over the service's own mappings.
 */
public abstract class ApiAccessContract extends ServiceStartupContract {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    protected RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerIssuer(registry, null);
    }

    protected Api api() {
        return new Api("http://127.0.0.1:" + port, null);
    }

    protected static TenantFixture tenant() {
        return TenantFixture.create(LabOpsInfrastructure.tenantService());
    }

    protected List<EndpointMatrix.Endpoint> endpoints() {
        return EndpointMatrix.endpoints(mappings, EndpointMatrix.OPEN_PREFIXES);
    }

    /** Every endpoint called as {@code attacker} on {@code victim}'s path, with no token and without the scope. */
    protected List<String> violations(TenantFixture attacker, TenantFixture victim, Map<String, String> path,
                                      Supplier<String> stateOfVictim) {
        return EndpointMatrix.violations(api(), endpoints(), path, attacker.tokens(), victim.tokens(), stateOfVictim);
    }
}
