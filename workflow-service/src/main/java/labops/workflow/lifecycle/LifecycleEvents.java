package labops.workflow.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import labops.events.Environment;
import labops.events.OrderLifecycleEvent;
import labops.platform.kafka.OrderKeys;
import labops.schemas.topic.Topics;
import labops.workflow.Acknowledgements;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells analytics, audit and delivery every change of an order's status, on {@code labops.workflow.orders}. The
 * changes are sent before the database commits them and the commit waits for the broker, so none is lost; a poll
 * applied again publishes the same event ids. Keyed per order ({@link OrderKeys}) so one order's changes stay in order.
 */
@Component
public class LifecycleEvents {

    private final KafkaTemplate<String, Object> kafka;

    LifecycleEvents(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Sends the changes; {@link #await} them before the transaction that made them commits. */
    public List<CompletableFuture<?>> publish(List<StatusChange> changes) {
        return changes.stream().<CompletableFuture<?>>map(change ->
                kafka.send(Topics.WORKFLOW_ORDERS, key(change), event(change))).toList();
    }

    /** Sends the changes and waits until the broker has every one. */
    public void publishAndWait(List<StatusChange> changes) {
        await(publish(changes));
    }

    public void await(List<CompletableFuture<?>> sent) {
        Acknowledgements.await(sent);
    }

    static OrderLifecycleEvent event(StatusChange change) {
        return OrderLifecycleEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((change.causeId() + "#" + change.orderNumber() + "#" + change.to())
                        .getBytes(StandardCharsets.UTF_8)))
                .setTenantId(change.tenantId())
                .setEnvironment(Environment.valueOf(change.environment().toUpperCase(java.util.Locale.ROOT)))
                .setOrderNumber(change.orderNumber())
                .setStatus(change.to())
                .setPreviousStatus(change.from())
                .setChangedAt(change.at())
                .setCause(change.cause())
                .setCauseId(change.causeId())
                .setRawMessageId(change.rawMessageId())
                .setActor(change.actor())
                .setReasonCode(change.reasonCode())
                .build();
    }

    static String key(StatusChange change) {
        return OrderKeys.of(change.tenantId(), change.environment(), change.orderNumber());
    }
}
