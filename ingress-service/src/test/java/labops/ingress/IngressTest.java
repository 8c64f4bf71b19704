package labops.ingress;

import com.jayway.jsonpath.JsonPath;
import java.nio.file.Path;
import java.util.UUID;
import labops.testsupport.Api;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SelfSignedKeyStore;
import labops.testsupport.ServiceStartupContract;
import labops.testsupport.TenantServiceProcess;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * ingress-service against the shared Kafka and the real tenant-service, with its own service client so it can read
 * inbound signing secrets. One context for every test class that extends this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IngressTest extends ServiceStartupContract {

    /** The certificate of MLLP endpoints that require TLS. */
    protected static final SelfSignedKeyStore TLS = SelfSignedKeyStore.create(Path.of("target", "mllp-tls.p12"),
            "tls-test-password");

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerIssuer(registry, "ingress");
        registry.add("labops.ingress.tls.key-store", () -> TLS.path().toString());
        // Import rows are checked against profiles and orders by services this module's tests do not run: the
        // system tests cover those checks.
        registry.add("labops.ingress.normalizer-url", () -> "");
        registry.add("labops.ingress.workflow-url", () -> "");
        registry.add("labops.ingress.tls.key-store-password", TLS::password);
    }

    protected static TenantServiceProcess tenantService() {
        return LabOpsInfrastructure.tenantService();
    }

    protected static Api admin() {
        return tenantService().api(tenantService().adminToken());
    }

    protected Api ingress(String token) {
        return new Api("http://127.0.0.1:" + port, token);
    }

    /** A new tenant, created through tenant-service's admin API. */
    protected static String newTenant(Api admin) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + id + "\",\"name\":\"Hospital " + id + "\"}"));
        return id;
    }

    /** A new API credential's token for {@code tenant} and {@code environment}. */
    protected static String clientToken(Api admin, String tenant, String environment) {
        String issued = Api.ok(admin.post("/api/tenants/" + tenant + "/environments/" + environment + "/credentials",
                "{\"name\":\"EHR\",\"scopes\":[\"orders.write\"]}"));
        return tenantService().tokens().clientCredentials(JsonPath.read(issued, "$.clientId"),
                JsonPath.read(issued, "$.clientSecret"));
    }
}
