package labops.workflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import labops.events.EventSource;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.OrderPriority;
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

/** Turnaround, open tasks and volume as the reporting page and its exports show them, from orders and results. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReportsTest extends ApiAccessContract {

    private static final Instant ORDERED = Instant.parse("2026-11-25T08:30:00Z");

    @Test
    void turnaroundIsMeasuredFromTheOrderToItsResultAgainstThePrioritysTarget() throws Exception {
        TenantFixture lab = tenant();
        var fast = stat(lab, "PON-FAST");
        var slow = stat(lab, "PON-SLOW");
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(fast, slow));
        LifecycleTopic.changes(lab.tenantId(), "PON-FAST", 1);
        LifecycleTopic.changes(lab.tenantId(), "PON-SLOW", 1);
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(result(lab, "PON-FAST", 45), result(lab, "PON-SLOW", 90)));
        LifecycleTopic.changes(lab.tenantId(), "PON-SLOW", 3);
        LifecycleTopic.changes(lab.tenantId(), "PON-FAST", 3);

        var staff = api().withToken(lab.staffToken());
        String report = Eventually.await("the report", Duration.ofSeconds(20), () -> {
            String body = Api.ok(staff.get("/api/reports/" + lab.tenantId() + "/sandbox?from=2026-11-25"));
            return JsonPath.<List<Integer>>read(body, "$.turnaround[*].resulted").equals(List.of(2)) ? Optional.of(body)
                    : Optional.empty();
        });
        assertThat(JsonPath.<String>read(report, "$.turnaround[0].priority")).isEqualTo("STAT");
        assertThat(JsonPath.<Integer>read(report, "$.turnaround[0].orders")).isEqualTo(2);
        assertThat(JsonPath.<Integer>read(report, "$.turnaround[0].resulted")).isEqualTo(2);
        assertThat(JsonPath.<Double>read(report, "$.turnaround[0].orderToResultMedian")).isEqualTo(67.5);
        assertThat(JsonPath.<Double>read(report, "$.turnaround[0].orderToResultP90")).isEqualTo(85.5);
        assertThat(JsonPath.<Double>read(report, "$.turnaround[0].withinTarget")).isEqualTo(50.0);
        assertThat(JsonPath.<Integer>read(report, "$.turnaround[0].targetMinutes")).isEqualTo(60);
        assertThat(JsonPath.<List<String>>read(report, "$.openTasks[*].kind")).containsExactly("review-new-order");
        assertThat(JsonPath.<List<Integer>>read(report, "$.volume[*].orders")).containsExactly(2);
        assertThat(JsonPath.<List<String>>read(report, "$.volume[*].status")).containsExactly("released");

        var csv = staff.get("/api/exports/" + lab.tenantId() + "/sandbox/turnaround?from=2026-11-25&format=csv");
        assertThat(csv.body()).startsWith("priority,tests,orders,resulted,order_to_result_median_min")
                .contains("STAT,2345-7 Glucose [Mass/volume] in Serum or Plasma,2,2,67.5,85.5");
        assertThat(staff.get("/api/reports/" + lab.tenantId() + "/sandbox?from=yesterday").statusCode()).isEqualTo(400);
    }

    private static LabOrderEvent stat(TenantFixture lab, String placer) {
        var order = SampleEvents.labOrder(lab.tenantId(), placer);
        order.setPriority(OrderPriority.STAT);
        return order;
    }

    /** A final result Lab Ops received {@code minutes} after the order was placed. */
    private static LabResultEvent result(TenantFixture lab, String placer, int minutes) {
        var result = SampleEvents.labResult(lab.tenantId(), placer, Interpretation.NORMAL);
        result.setSource(EventSource.newBuilder(result.getSource()).setReceivedAt(ORDERED.plusSeconds(60L * minutes))
                .build());
        return result;
    }
}
