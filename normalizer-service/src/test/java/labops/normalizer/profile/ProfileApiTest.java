package labops.normalizer.profile;

import static org.assertj.core.api.Assertions.assertThat;

import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tenant admin previews, saves and reads back versions of a mapping profile over the real API and database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProfileApiTest extends ApiAccessContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RULES = """
            {"testCodes": [{"local": "GLU", "loinc": "1558-6", "display": "Fasting glucose"}],
             "unknownTestCodes": "DEAD_LETTER",
             "priorities": [{"code": "1", "priority": "STAT"}]}""";
    private static final String ORDER = "MSH|^~\\\\&|EHR|HOSP|LABOPS|LAB|20261125083000||ORM^O01|M-1|P|2.3\\n"
            + "PID|1||MRN-9^^^HOSP^MR||DOE^JANE\\n"
            + "ORC|NW|PON-1^EHR|||||^^^^^1\\n"
            + "OBR|1|PON-1^EHR||%s^Local test^L\\n";

    @Test
    void previewThenSaveVersionsAndReadThemBack() {
        var hospital = tenant();
        var admin = api().withToken(hospital.adminToken());
        String profile = "/api/tenants/" + hospital.tenantId() + "/environments/sandbox/mapping-profile";

        assertThat(json(Api.ok(admin.get(profile))).get("version").asInt()).as("built-in before any save").isZero();

        var preview = json(Api.ok(admin.post(profile + "/preview",
                "{\"rules\": " + RULES + ", \"message\": \"" + ORDER.formatted("GLU") + "\"}")));
        assertThat(preview.get("events")).hasSize(2);
        String order = preview.get("events").get(1).get("event").asString();
        assertThat(preview.get("events").get(1).get("type").asString()).isEqualTo("LabOrderEvent");
        assertThat(order).contains("\"code\": \"1558-6\"", "http://loinc.org", "\"priority\": \"STAT\"",
                "\"mappingProfileVersion\": 1");
        var refused = json(Api.ok(admin.post(profile + "/preview",
                "{\"rules\": " + RULES + ", \"message\": \"" + ORDER.formatted("XYZ") + "\"}")));
        assertThat(refused.get("unmappable").asString())
                .isEqualTo("OBR-4.1 (order group 1) test code XYZ is not in the mapping profile (version 1)");
        assertThat(json(Api.ok(admin.get(profile))).get("version").asInt()).as("a preview saves nothing").isZero();

        var invalid = admin.put(profile, "{\"testCodes\": [{\"local\": \"K\", \"loinc\": \"2823-4\"}]}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(invalid.body()).get("problems").get(0).asString())
                .isEqualTo("testCodes[0].loinc: 2823-4 fails the LOINC check digit");

        var first = json(Api.ok(admin.put(profile, RULES)));
        var second = json(Api.ok(admin.put(profile, "{\"defaultSpecimen\": {\"code\": \"BLD\"}}")));
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("savedBy").asString()).isEqualTo("admin-" + hospital.tenantId());
        assertThat(second.get("version").asInt()).isEqualTo(2);

        var inForce = json(Api.ok(admin.get(profile)));
        assertThat(inForce.get("version").asInt()).isEqualTo(2);
        assertThat(inForce.get("rules").get("defaultSpecimen").get("code").asString()).isEqualTo("BLD");
        assertThat(json(Api.ok(admin.get(profile + "/versions")))).extracting(v -> v.get("version").asInt())
                .containsExactly(2, 1);
        assertThat(json(Api.ok(admin.get(profile + "/versions/1"))).get("rules").get("testCodes").get(0)
                .get("loinc").asString()).isEqualTo("1558-6");
        assertThat(admin.get(profile + "/versions/9").statusCode()).isEqualTo(404);
        assertThat(json(Api.ok(admin.get(profile.replace("sandbox", "production")))).get("version").asInt())
                .as("each environment has its own profile").isZero();
        assertThat(admin.get(profile.replace("sandbox", "staging")).statusCode()).isEqualTo(404);
    }

    @Test
    void ordersInTheRestFormatPreviewAsTheCanonicalOrdersTheyWouldBecome() {
        var lab = tenant();
        Api.ok(api().withToken(lab.adminToken()).put("/api/tenants/" + lab.tenantId()
                + "/environments/sandbox/mapping-profile", RULES));
        var staff = api().withToken(lab.staffToken());
        String orders = """
                {"orders": [
                  {"orderNumber": "PON-P1", "priority": "1", "tests": [{"code": "GLU"}], "patient": {"mrn": "MRN-P1"}},
                  {"orderNumber": "PON-P2", "tests": [{"code": "XYZ"}], "patient": {"mrn": "MRN-P2"}}]}""";

        var preview = json(Api.ok(staff.post("/api/tenants/" + lab.tenantId()
                + "/environments/sandbox/orders/preview?source=csv", orders)));

        assertThat(preview).hasSize(2);
        assertThat(preview.get(0).get("order").asString()).contains("\"code\": \"1558-6\"", "\"priority\": \"STAT\"",
                "\"format\": \"CSV\"", "\"value\": \"PON-P1\"", "\"mappingProfileVersion\": 1");
        assertThat(preview.get(0).get("unmappable").isNull()).isTrue();
        assertThat(preview.get(1).get("order").isNull()).isTrue();
        assertThat(preview.get(1).get("unmappable").asString())
                .isEqualTo("/tests/0 test code XYZ is not in the mapping profile (version 1)");
    }

    private static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
