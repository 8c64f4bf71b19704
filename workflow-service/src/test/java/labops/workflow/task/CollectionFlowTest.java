package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import labops.events.Address;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.events.LabOrderEvent;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.Eventually;
import labops.testsupport.SampleEvents;
import labops.testsupport.TenantFixture;
import labops.workflow.CanonicalEvents;
import labops.workflow.LifecycleTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * From an accepted order to its specimen: a home collection is scheduled, its specimen rejected on receipt and
 * collected again; an in-lab order goes straight to collection. Each step is a task that opens the next and moves the
 * order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CollectionFlowTest extends ApiAccessContract {

    @Test
    void aHomeCollectionIsScheduledItsRejectedSpecimenRecollectedAndTheOrderCollected() throws Exception {
        TenantFixture lab = tenant();
        LabOrderEvent order = SampleEvents.labOrder(lab.tenantId(), "PON-HOME");
        order.setCollection(CollectionMode.newBuilder().setMode(CollectionType.HOME_COLLECTION)
                .setAddress(Address.newBuilder().setLines(List.of("12 Oak Street")).setCity("Springfield").build())
                .build());
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(order));
        var staff = api().withToken(lab.staffToken());

        complete(staff, lab, task(staff, lab, "review-new-order"), "{\"version\":0}");
        String schedule = task(staff, lab, "schedule-home-collection");
        assertThat(schedule).contains("home collection").doesNotContain("Oak Street");
        assertThat(act(staff, lab, id(schedule), "complete", "{\"version\":0}").body()).contains("fields/visitWindow");
        complete(staff, lab, schedule, "{\"version\":0,\"fields\":{\"visitWindow\":\"2026-12-08 08:00-10:00\","
                + "\"collector\":\"Sam\",\"contactAttempts\":\"2\"}}");

        String first = task(staff, lab, "collect-specimen");
        assertThat(first).contains("home visit 2026-12-08 08:00-10:00");
        assertThat(act(staff, lab, id(first), "reject", "{\"version\":0,\"reasonCode\":\"haemolysed\"}").statusCode())
                .isEqualTo(200);
        String again = task(staff, lab, "collect-specimen");
        assertThat(again).contains("recollection: the specimen was rejected (haemolysed)");
        complete(staff, lab, again, "{\"version\":0}");

        assertThat(LifecycleTopic.statuses(lab.tenantId(), "PON-HOME", 4)).containsExactly("RECEIVED", "ACCEPTED",
                "COLLECTION_SCHEDULED", "COLLECTED");
    }

    @Test
    void anInLabOrderGoesStraightToCollection() throws Exception {
        TenantFixture lab = tenant();
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(SampleEvents.labOrder(lab.tenantId(), "PON-LAB")));
        var staff = api().withToken(lab.staffToken());
        complete(staff, lab, task(staff, lab, "review-new-order"), "{\"version\":0}");
        assertThat(task(staff, lab, "collect-specimen")).contains("collect in the lab");
        assertThat(Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"))).doesNotContain("schedule-home");
    }

    /** The tenant's one open task of {@code kind}, as JSON, once it is there. */
    private static String task(Api staff, TenantFixture lab, String kind) {
        return Eventually.await("a " + kind + " task", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            int at = open.indexOf("\"kind\":\"" + kind + "\"");
            if (at < 0) {
                return Optional.empty();
            }
            int start = open.lastIndexOf('{', open.lastIndexOf("\"id\"", at));
            int end = open.indexOf("\"createdAt\"", at);
            return Optional.of(open.substring(start, open.indexOf('}', open.indexOf("\"closure\"", end)) + 1));
        });
    }

    private static String id(String task) {
        return Api.field(task, "id");
    }

    private static void complete(Api staff, TenantFixture lab, String task, String body) {
        Api.ok(act(staff, lab, id(task), "complete", body));
    }

    private static HttpResponse<String> act(Api staff, TenantFixture lab, String id, String action, String body) {
        return staff.post("/api/tenants/" + lab.tenantId() + "/tasks/" + id + "/" + action, body);
    }
}
