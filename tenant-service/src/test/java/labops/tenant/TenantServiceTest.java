package labops.tenant;

import java.security.SecureRandom;
import java.util.Base64;
import labops.testsupport.Api;
import labops.testsupport.Ports;
import labops.testsupport.ServiceStartupContract;
import labops.testsupport.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * tenant-service on a fixed port (its issuer URL must be real for clients), against the shared Kafka, registry and
 * PostgreSQL, with a bootstrap Lab Ops admin, the console client and one Lab Ops service client. One context for
 * every test class that extends this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class TenantServiceTest extends ServiceStartupContract {

    protected static final int PORT = Ports.free();
    protected static final String ISSUER = "http://127.0.0.1:" + PORT;
    protected static final String ADMIN = "root";
    protected static final String ADMIN_PASSWORD = "root-password-for-tests";
    protected static final String SERVICE_CLIENT = "ingress";
    protected static final String SERVICE_SECRET = "ingress-service-secret-for-tests";
    protected static final TokenClient.ConsoleClient CONSOLE = new TokenClient.ConsoleClient("labops-console",
            "console-secret-for-tests", "http://127.0.0.1:1/login/oauth2/code/labops");
    protected static final TokenClient TOKENS = new TokenClient(ISSUER);
    private static final String ENCRYPTION_KEY = randomKey();

    @DynamicPropertySource
    static void tenantService(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("labops.security.issuer", () -> ISSUER);
        registry.add("labops.tenant.encryption.keys.k1", () -> ENCRYPTION_KEY);
        registry.add("labops.tenant.auth.bootstrap-admin.username", () -> ADMIN);
        registry.add("labops.tenant.auth.bootstrap-admin.password", () -> ADMIN_PASSWORD);
        registry.add("labops.tenant.auth.service-clients." + SERVICE_CLIENT, () -> SERVICE_SECRET);
        registry.add("labops.tenant.auth.console.client-id", CONSOLE::clientId);
        registry.add("labops.tenant.auth.console.client-secret", CONSOLE::clientSecret);
        registry.add("labops.tenant.auth.console.redirect-uris", CONSOLE::redirectUri);
        registry.add("labops.outbound.allowed", () -> ALLOWED_RECEIVER);
        // Every test signs in from 127.0.0.1: the address lock is tested on its own (SignInThrottleTest).
        registry.add("labops.tenant.auth.throttle.address-failures", () -> 1_000);
    }

    /** The one internal address these tests' deployment lets destinations use, as the local stack does its receiver. */
    protected static final String ALLOWED_RECEIVER = "127.0.0.1:8200";

    protected static Api api(String token) {
        return new Api(ISSUER, token);
    }

    protected static String adminToken() {
        return TOKENS.person(CONSOLE, ADMIN, ADMIN_PASSWORD);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
