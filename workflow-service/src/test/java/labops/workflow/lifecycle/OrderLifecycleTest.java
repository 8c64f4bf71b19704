package labops.workflow.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.OrderAction;
import labops.events.ResultStatus;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.Eventually;
import labops.testsupport.SampleEvents;
import labops.testsupport.TenantFixture;
import labops.workflow.CanonicalEvents;
import labops.workflow.LifecycleTopic;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * An order's life from canonical events, a person's review and its results, as {@code labops.workflow.orders} tells
 * it: read with a plain Avro reader and the registry's Confluent API, none of Lab Ops' serde code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderLifecycleTest extends ApiAccessContract {

    @Test
    void anOrderIsReceivedHeldReleasedAcceptedAndResultedAndEveryChangeIsAnEvent() throws Exception {
        TenantFixture lab = tenant();
        LabOrderEvent order = SampleEvents.labOrder(lab.tenantId(), "PON-LIFE");
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(order, followUp(order, OrderAction.HOLD),
                followUp(order, OrderAction.UPDATE), followUp(order, OrderAction.RESUME)));
        LifecycleTopic.changes(lab.tenantId(), "PON-LIFE", 3);

        var staff = api().withToken(lab.staffToken());
        String task = Eventually.await("the review task", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            return open.contains("PON-LIFE") ? Optional.of(open) : Optional.empty();
        });
        String taskId = Api.field(task.substring(task.indexOf('{')), "id");
        String version = task.replaceAll("(?s).*\"version\":(\\d+).*", "$1");
        Api.ok(staff.post("/api/tenants/" + lab.tenantId() + "/tasks/" + taskId + "/complete",
                "{\"version\":" + version + "}"));

        LabResultEvent preliminary = SampleEvents.labResult(lab.tenantId(), "PON-LIFE", Interpretation.HIGH);
        preliminary.setStatus(ResultStatus.PRELIMINARY);
        LabResultEvent last = SampleEvents.labResult(lab.tenantId(), "PON-LIFE", Interpretation.HIGH);
        LabResultEvent late = SampleEvents.labResult(lab.tenantId(), "PON-LIFE", Interpretation.HIGH);
        late.setStatus(ResultStatus.PRELIMINARY);
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(preliminary, last, late));

        var changes = LifecycleTopic.changes(lab.tenantId(), "PON-LIFE", 7);
        assertThat(changes).extracting(c -> c.get("previousStatus") + "->" + c.get("status")).containsExactly(
                "null->RECEIVED", "RECEIVED->ON_HOLD", "ON_HOLD->RECEIVED", "RECEIVED->ACCEPTED",
                "ACCEPTED->IN_PROGRESS", "IN_PROGRESS->RESULTED", "RESULTED->RELEASED");
        GenericRecord accepted = changes.get(3);
        assertThat(accepted.get("cause").toString()).isEqualTo("STAFF_ACTION");
        assertThat(accepted.get("actor").toString()).isEqualTo("staff-" + lab.tenantId());
        assertThat(accepted.get("causeId").toString()).isEqualTo(taskId);
        assertThat(changes.get(0).get("rawMessageId").toString()).isEqualTo(order.getSource().getRawMessageId());
        assertThat(changes).extracting(c -> c.get("eventId").toString()).doesNotHaveDuplicates();
    }

    @Test
    void aRejectedOrderStaysRejectedAndSaysWhy() throws Exception {
        TenantFixture lab = tenant();
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(SampleEvents.labOrder(lab.tenantId(), "PON-NO")));
        LifecycleTopic.changes(lab.tenantId(), "PON-NO", 1);
        var staff = api().withToken(lab.staffToken());
        String task = Eventually.await("the review task", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            return open.contains("PON-NO") ? Optional.of(open) : Optional.empty();
        });
        Api.ok(staff.post("/api/tenants/" + lab.tenantId() + "/tasks/" + Api.field(task.substring(task.indexOf('{')), "id")
                + "/reject", "{\"version\":0,\"reasonCode\":\"test-not-offered\"}"));
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(SampleEvents.labResult(lab.tenantId(), "PON-NO",
                Interpretation.NORMAL)));

        // A rejected order's result is still released (the hospital hears what the lab found) but moves it nowhere.
        var rejected = LifecycleTopic.changes(lab.tenantId(), "PON-NO", 2).get(1);
        assertThat(rejected.get("status").toString()).isEqualTo("REJECTED");
        assertThat(rejected.get("reasonCode").toString()).isEqualTo("test-not-offered");
        // The result after the rejection moves nothing: the topic still has the two changes once it is applied.
        Eventually.await("the result applied", Duration.ofSeconds(30), () -> Optional.ofNullable(
                Api.ok(staff.get("/api/exports/" + lab.tenantId() + "/sandbox/results?from=2026-11-25"))
                        .contains("2823-3") ? true : null));
        assertThat(LifecycleTopic.changes(lab.tenantId(), "PON-NO", 2)).hasSize(2);
    }

    private static LabOrderEvent followUp(LabOrderEvent order, OrderAction action) {
        return LabOrderEvent.newBuilder(order).setEventId(UUID.randomUUID()).setAction(action).build();
    }
}
