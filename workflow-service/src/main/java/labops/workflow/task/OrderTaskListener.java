package labops.workflow.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.platform.audit.AuditDecision;
import labops.platform.kafka.BatchFailures;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Orders drive the staff queue: a new order puts a "review new order" task in its tenant's queue, a cancel closes the
 * order's open or held tasks, a hold parks them and a release reopens them. Each poll's orders go in one database
 * transaction, in the order they came (an order and its cancel may share a batch); consecutive new orders in one
 * insert, idempotent on the event id (a redelivered order creates nothing). Every change is in the audit log before
 * the transaction commits.
 */
@Component
class OrderTaskListener {

    private static final Logger log = LoggerFactory.getLogger(OrderTaskListener.class);

    private final TaskRepository tasks;
    private final TaskAudit audit;
    private final TransactionOperations transactions;

    OrderTaskListener(TaskRepository tasks, TaskAudit audit, TransactionOperations transactions) {
        this.tasks = tasks;
        this.audit = audit;
        this.transactions = transactions;
    }

    @KafkaListener(topics = Topics.CANONICAL_ORDERS, batch = "true")
    void onOrders(List<ConsumerRecord<String, LabOrderEvent>> records) {
        BatchFailures.apply(records, transactions, batch -> apply(batch.stream().map(ConsumerRecord::value).toList()));
    }

    private void apply(List<LabOrderEvent> orders) {
        var decisions = new ArrayList<AuditDecision>();
        var newOrders = new ArrayList<Task>();
        for (LabOrderEvent order : orders) {
            if (order.getAction() == OrderAction.NEW) {
                newOrders.add(task(order));
                continue;
            }
            decisions.addAll(audit.created(tasks.insertIfAbsent(newOrders)));
            newOrders.clear();
            decisions.addAll(change(order));
        }
        decisions.addAll(audit.created(tasks.insertIfAbsent(newOrders)));
        audit.record(decisions);
        if (log.isDebugEnabled()) {
            log.debug("event=orders-applied orders={} changes={}", orders.size(), decisions.size());
        }
    }

    /** What a cancel, hold or release does to the order's review tasks; an update changes none. */
    private List<AuditDecision> change(LabOrderEvent order) {
        if (order.getPlacerOrderNumber() == null) {
            return List.of();
        }
        String placer = order.getPlacerOrderNumber().getValue();
        String environment = Task.environment(order.getEnvironment());
        List<Task> changed;
        String action;
        switch (order.getAction()) {
            case CANCEL -> {
                changed = tasks.transition(order.getTenantId(), environment, placer, List.of(Task.OPEN, Task.ON_HOLD),
                        Task.CANCELLED);
                action = "task.cancelled";
            }
            case HOLD -> {
                changed = tasks.transition(order.getTenantId(), environment, placer, List.of(Task.OPEN), Task.ON_HOLD);
                action = "task.held";
            }
            case RESUME -> {
                changed = tasks.transition(order.getTenantId(), environment, placer, List.of(Task.ON_HOLD), Task.OPEN);
                action = "task.resumed";
            }
            default -> {
                return List.of();
            }
        }
        return changed.stream().map(task -> audit.decision(action, task, order.getEventId(),
                order.getSource().getRawMessageId())).toList();
    }

    private static Task task(LabOrderEvent order) {
        return new Task(UUID.randomUUID(), order.getTenantId(), Task.environment(order.getEnvironment()),
                Task.REVIEW_NEW_ORDER, Task.OPEN,
                order.getEventId(), order.getSource().getRawMessageId(),
                order.getPlacerOrderNumber() == null ? null : order.getPlacerOrderNumber().getValue(),
                order.getPriority().name(),
                order.getTests().stream().map(t -> t.getCode()).collect(Collectors.joining(", ")), null,
                Instant.now());
    }
}
