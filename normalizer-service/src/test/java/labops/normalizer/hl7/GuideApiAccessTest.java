package labops.normalizer.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The normalizer's endpoints (payload guidance) refuse no token and a token without their scope. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GuideApiAccessTest extends ApiAccessContract {

    @Test
    void everyEndpointRefusesAMissingScopeAndNoToken() {
        var a = tenant();
        var b = tenant();

        var violations = violations(a, b, Map.of("tenantId", b.tenantId()), () -> "the guide holds no tenant state");

        assertThat(endpoints()).extracting(Object::toString).contains("GET /api/guide/hl7v2");
        assertThat(violations).isEmpty();
        assertThat(Api.ok(api().withToken(b.adminToken()).get("/api/guide/hl7v2"))).contains("ORM^O01", "PON-1001");
    }
}
