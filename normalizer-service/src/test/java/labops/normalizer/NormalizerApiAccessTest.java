package labops.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.Map;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Every normalizer endpoint (payload guidance, mapping profiles), from the application's own mappings, refuses another
 * tenant, a missing scope and no token, and changes nothing of the tenant it was aimed at.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NormalizerApiAccessTest extends ApiAccessContract {

    @Test
    void everyEndpointRefusesAnotherTenantAMissingScopeAndNoToken() {
        var a = tenant();
        var b = tenant();
        var admin = api().withToken(b.adminToken());
        String profile = "/api/tenants/" + b.tenantId() + "/environments/sandbox/mapping-profile";
        Api.ok(admin.put(profile, "{\"testCodes\":[{\"local\":\"GLU\",\"loinc\":\"2345-7\",\"display\":\"Glucose\"}]}"));

        var violations = violations(a, b, Map.of("tenantId", b.tenantId(), "environment", "sandbox", "version", "1"),
                () -> Api.ok(admin.get(profile + "/versions")));

        assertThat(endpoints()).extracting(Object::toString).contains("GET /api/guide/hl7v2",
                "GET /api/tenants/{tenantId}/environments/{environment}/guide/fhir",
                "GET /api/tenants/{tenantId}/environments/{environment}/mapping-profile",
                "PUT /api/tenants/{tenantId}/environments/{environment}/mapping-profile",
                "POST /api/tenants/{tenantId}/environments/{environment}/mapping-profile/preview",
                "GET /api/tenants/{tenantId}/environments/{environment}/mapping-profile/versions/{version}");
        assertThat(violations).isEmpty();
        assertThat(Api.ok(admin.get("/api/guide/hl7v2"))).contains("ORM^O01", "PON-1001");
        String fhirGuide = Api.ok(admin.get("/api/tenants/" + b.tenantId() + "/environments/sandbox/guide/fhir"));
        assertThat(JsonPath.<String>read(fhirGuide, "$.examples[0].body"))
                .as("the FHIR examples speak the tenant's own test code").contains("\"code\": \"GLU\"");
        assertThat(api().withToken(b.clientToken()).get(profile).statusCode())
                .as("a hospital's API client does not administer mappings").isEqualTo(403);
    }
}
