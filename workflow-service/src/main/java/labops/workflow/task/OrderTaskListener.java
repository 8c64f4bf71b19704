package labops.workflow.task;

import java.time.Instant;
import java.util.UUID;
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

/** A new order puts a "review new order" task in its tenant's queue, once per order event. */
@Component
class OrderTaskListener {

    private static final Logger log = LoggerFactory.getLogger(OrderTaskListener.class);

    private final TaskRepository tasks;
    private final AuditPublisher audit;

    OrderTaskListener(TaskRepository tasks, AuditPublisher audit) {
        this.tasks = tasks;
        this.audit = audit;
    }

    @KafkaListener(topics = Topics.CANONICAL_ORDERS)
    @Transactional
    void onOrder(LabOrderEvent order) throws Exception {
        if (order.getAction() != OrderAction.NEW) {
            log.info("event=order-ignored eventId={} tenant={} action={}", order.getEventId(), order.getTenantId(),
                    order.getAction());
            return;
        }
        var task = new Task(UUID.randomUUID(), order.getTenantId(), order.getEnvironment().name().toLowerCase(),
                Task.REVIEW_NEW_ORDER, "open", order.getEventId(), order.getSource().getRawMessageId(),
                order.getPlacerOrderNumber() == null ? null : order.getPlacerOrderNumber().getValue(),
                order.getPriority().name(),
                order.getTests().stream().map(t -> t.getCode()).collect(Collectors.joining(", ")),
                Instant.now());
        if (!tasks.insertIfAbsent(task)) {
            log.info("event=task-exists eventId={} tenant={}", order.getEventId(), order.getTenantId());
            return;
        }
        // The task commits only once the audit log has its record: a failure here retries both.
        audit.publish(new AuditDecision("task.created", "success", task.tenantId(), task.environment(),
                task.rawMessageId(), order.getEventId().toString(), "task " + task.id(), audit.actor(), Instant.now()))
                .get(10, TimeUnit.SECONDS);
        log.info("event=task-created taskId={} eventId={} tenant={}", task.id(), order.getEventId(), task.tenantId());
    }
}
