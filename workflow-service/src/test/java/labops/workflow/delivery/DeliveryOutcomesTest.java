package labops.workflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.events.DeliveryOutcome;
import labops.events.Environment;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.ResultDeliveryEvent;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.Eventually;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import labops.testsupport.TenantFixture;
import labops.workflow.CanonicalEvents;
import labops.workflow.LifecycleTopic;
import labops.workflow.WorkflowDeadLetters;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Delivery's outcomes as workflow applies them: the order delivered, or a task for staff when it could not be. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeliveryOutcomesTest extends ApiAccessContract {

    @Test
    void aDeliveredResultMovesItsOrderToDeliveredOnceAndReportingTimesTheLastSegment() throws Exception {
        TenantFixture lab = tenant();
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(SampleEvents.labOrder(lab.tenantId(), "PON-SENT")));
        LifecycleTopic.changes(lab.tenantId(), "PON-SENT", 1);
        LabResultEvent result = SampleEvents.labResult(lab.tenantId(), "PON-SENT", Interpretation.NORMAL);
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(result));
        assertThat(LifecycleTopic.statuses(lab.tenantId(), "PON-SENT", 3)).endsWith("RELEASED");

        var delivered = outcome(result, DeliveryOutcome.DELIVERED, null);
        // Released on arrival (the tenant's default policy); delivered three minutes after.
        delivered.setAt(result.getSource().getReceivedAt().plus(Duration.ofMinutes(3)));
        // Reported twice, as delivery does when its first report is what failed.
        CanonicalEvents.send(Topics.DELIVERY_OUTCOMES, List.of(delivered, delivered));

        var changes = LifecycleTopic.changes(lab.tenantId(), "PON-SENT", 4);
        var last = changes.get(changes.size() - 1);
        assertThat(last.get("previousStatus") + "->" + last.get("status")).isEqualTo("RELEASED->DELIVERED");
        assertThat(last.get("cause").toString()).isEqualTo("DELIVERY_OUTCOME");
        assertThat(last.get("causeId").toString()).isEqualTo(delivered.getEventId().toString());
        String report = Eventually.await("the release-to-delivery time", Duration.ofSeconds(30), () -> {
            String body = Api.ok(api().withToken(lab.staffToken()).get("/api/reports/" + lab.tenantId()
                    + "/sandbox?from=2026-11-25"));
            return JsonPath.<List<Object>>read(body, "$.turnaround[*].releaseToDeliveryMedian").stream()
                    .anyMatch(java.util.Objects::nonNull) ? Optional.of(body) : Optional.empty();
        });
        assertThat(JsonPath.<Double>read(report, "$.turnaround[0].releaseToDeliveryMedian")).isEqualTo(3.0);
        assertThat(LifecycleTopic.statuses(lab.tenantId(), "PON-SENT", 4)).as("one delivered, not two")
                .filteredOn("DELIVERED"::equals).hasSize(1);
    }

    @Test
    void aResultThatFailedForGoodIsOneUrgentTaskAndBytesThatAreNoOutcomeCostOnlyThemselves() throws Exception {
        TenantFixture lab = tenant();
        LabResultEvent result = SampleEvents.labResult(lab.tenantId(), "PON-UNSENT", Interpretation.NORMAL);
        var failed = outcome(result, DeliveryOutcome.FAILED, "webhook answered HTTP 500");
        CanonicalEvents.send(Topics.DELIVERY_OUTCOMES, List.of(failed));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DELIVERY_OUTCOMES, lab.tenantId(),
                    "not an outcome\0".getBytes(StandardCharsets.UTF_8))).get();
        }
        CanonicalEvents.send(Topics.DELIVERY_OUTCOMES, List.of(failed));

        var staff = api().withToken(lab.staffToken());
        String tasks = Eventually.await("the delivery-failed task", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            return open.contains("delivery-failed") ? Optional.of(open) : Optional.empty();
        });
        var dead = WorkflowDeadLetters.first(lab.tenantId());
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo(Topics.DELIVERY_OUTCOMES);
        tasks = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
        assertThat(tasks.split("\"kind\":\"delivery-failed\"", -1)).as("one task, however often reported").hasSize(2);
        assertThat(tasks).contains("\"priority\":\"URGENT\"", "\"placerOrderNumber\":\"PON-UNSENT\"",
                "not delivered after 4 attempt(s): webhook answered HTTP 500");
    }

    private static ResultDeliveryEvent outcome(LabResultEvent result, DeliveryOutcome outcome, String reason) {
        return ResultDeliveryEvent.newBuilder().setEventId(UUID.randomUUID()).setTenantId(result.getTenantId())
                .setEnvironment(Environment.SANDBOX).setResultEventId(result.getEventId())
                .setOrderNumber(result.getPlacerOrderNumber().getValue()).setOutcome(outcome)
                .setDestinationId(UUID.randomUUID().toString()).setAttempts(outcome == DeliveryOutcome.FAILED ? 4 : 1)
                .setAt(Instant.now()).setReason(reason).setRawMessageId(result.getSource().getRawMessageId()).build();
    }
}
