package labops.workflow.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.schemas.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * New orders put "review new order" tasks in their tenants' queues: each poll's orders in one database transaction,
 * one insert for the whole batch, idempotent on the event id (a redelivered order creates nothing).
 */
@Component
class OrderTaskListener {

    private static final Logger log = LoggerFactory.getLogger(OrderTaskListener.class);

    private final TaskRepository tasks;
    private final AuditPublisher audit;

    OrderTaskListener(TaskRepository tasks, AuditPublisher audit) {
        this.tasks = tasks;
        this.audit = audit;
    }

    @KafkaListener(topics = Topics.CANONICAL_ORDERS, batch = "true")
    @Transactional
    void onOrders(List<LabOrderEvent> orders) throws Exception {
        List<Task> candidates = orders.stream().filter(order -> order.getAction() == OrderAction.NEW)
                .map(OrderTaskListener::task).toList();
        List<Task> created = tasks.insertIfAbsent(candidates);
        // The tasks commit only once the audit log has their records: a failure here retries the batch.
        CompletableFuture.allOf(created.stream().map(task -> audit.publish(new AuditDecision("task.created",
                        AuditDecision.SUCCESS, task.tenantId(), task.environment(), task.rawMessageId(),
                        task.sourceEventId().toString(), "task " + task.id(), audit.actor(), Instant.now())))
                .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        if (log.isDebugEnabled()) {
            log.debug("event=tasks-created orders={} created={}", orders.size(), created.size());
        }
    }

    private static Task task(LabOrderEvent order) {
        return new Task(UUID.randomUUID(), order.getTenantId(), order.getEnvironment().name().toLowerCase(),
                Task.REVIEW_NEW_ORDER, "open", order.getEventId(), order.getSource().getRawMessageId(),
                order.getPlacerOrderNumber() == null ? null : order.getPlacerOrderNumber().getValue(),
                order.getPriority().name(),
                order.getTests().stream().map(t -> t.getCode()).collect(Collectors.joining(", ")),
                Instant.now());
    }
}
