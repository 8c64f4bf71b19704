package labops.delivery.outcome;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import labops.events.DeliveryOutcome;
import labops.events.LabResultEvent;
import labops.events.ResultDeliveryEvent;
import labops.platform.kafka.OrderKeys;
import labops.schemas.topic.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells workflow (and analytics) what came of each released result: delivered, or failed for good. Sent and waited
 * for before the attempt counts as done, so a lost outcome is retried with the result; the event id is derived from
 * the result and the outcome, so one reported twice is the same event. Keyed per order, as the released results are.
 */
@Component
public class DeliveryOutcomes {

    private final KafkaTemplate<String, Object> kafka;

    DeliveryOutcomes(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    public void delivered(LabResultEvent result, UUID destinationId, int attempts) {
        publish(result, DeliveryOutcome.DELIVERED, destinationId, attempts, null);
    }

    /** {@code reason}: the last attempt's, in the words the audit log has (no payload, no address). */
    public void failed(LabResultEvent result, UUID destinationId, int attempts, String reason) {
        publish(result, DeliveryOutcome.FAILED, destinationId, attempts, reason);
    }

    private void publish(LabResultEvent result, DeliveryOutcome outcome, UUID destinationId, int attempts,
                         String reason) {
        var event = ResultDeliveryEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((result.getEventId() + "#delivery#" + outcome)
                        .getBytes(StandardCharsets.UTF_8)))
                .setTenantId(result.getTenantId())
                .setEnvironment(result.getEnvironment())
                .setResultEventId(result.getEventId())
                .setOrderNumber(OrderKeys.orderNumber(result))
                .setOutcome(outcome)
                .setDestinationId(destinationId == null ? null : destinationId.toString())
                .setAttempts(attempts)
                .setAt(Instant.now())
                .setReason(reason)
                .setRawMessageId(result.getSource().getRawMessageId())
                .build();
        try {
            kafka.send(Topics.DELIVERY_OUTCOMES, OrderKeys.of(result), event).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting a delivery outcome", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the delivery outcome of result " + result.getEventId() + " was not acknowledged",
                    e);
        }
    }
}
