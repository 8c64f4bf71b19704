package labops.normalizer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import labops.events.CollectionType;
import labops.events.Environment;
import labops.events.OrderPriority;
import labops.events.SourceFormat;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.schemas.rest.RestOrders;
import labops.schemas.topic.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST example on a tenant's integration page is a valid request in the tenant's own terms, and the events the
 * page shows are what Lab Ops makes of it.
 */
class RestGuideTest {

    private static final MappingProfile PROFILE = new MappingProfile(3, Instant.now(), "admin", new MappingRules(
            List.of(new MappingRules.TestCode("GLU-F", "1558-6", "Fasting glucose")),
            MappingRules.UnknownTestCodes.DEAD_LETTER, List.of(), null, null, null));

    private final RestGuide guide = new RestGuide(null, List.of(new RestNormalizer(Topics.RAW_REST, SourceFormat.REST)));

    @Test
    void theExampleUsesTheTenantsTestCodeAndItsEventsAreShown() throws Exception {
        var example = guide.example("small-lab", Environment.SANDBOX, PROFILE);

        String body = (String) example.get("body");
        var request = JsonMapper.builder().build().readValue(body, RestOrders.class);
        assertThat(body).as("no empty fields in the example").doesNotContain("null");
        assertThat(request.orders()).singleElement().satisfies(order -> {
            assertThat(order.tests().get(0).code()).isEqualTo("GLU-F");
            assertThat(order.patient().mrnSystem()).isEqualTo(RestGuide.MRN_SYSTEM);
        });
        @SuppressWarnings("unchecked")
        var events = (List<Map<String, Object>>) example.get("events");
        assertThat(events).extracting(e -> e.get("topic"))
                .containsExactly(Topics.CANONICAL_PATIENTS, Topics.CANONICAL_ORDERS);
        String order = (String) events.get(1).get("event");
        assertThat(order).contains("\"code\": \"1558-6\"", "\"priority\": \"" + OrderPriority.STAT + "\"",
                "\"mode\": \"" + CollectionType.HOME_COLLECTION + "\"", "\"mappingProfileVersion\": 3");
        assertThat(example.get("profileVersion")).isEqualTo(3);
    }
}
