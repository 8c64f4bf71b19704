package labops.workflow.task;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.platform.audit.AuditDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Orders drive the staff queue: a new order puts a "review new order" task in its tenant's queue, a cancel closes the
 * order's open or held tasks, a hold parks them and a release reopens them. A poll's orders are applied in the order
 * they came, as few statements as that allows: new orders in one insert (idempotent on the event id), changes to
 * different orders in one update, a new statement only where an order comes again (its new order and its cancel in
 * one poll). Every change is in the audit log before the caller's transaction commits.
 */
@Component
public class OrderTasks {

    private static final Logger log = LoggerFactory.getLogger(OrderTasks.class);

    private final TaskRepository tasks;
    private final TaskAudit audit;

    OrderTasks(TaskRepository tasks, TaskAudit audit) {
        this.tasks = tasks;
        this.audit = audit;
    }

    /** Applies a poll's order events, in order, inside the caller's transaction. */
    public void apply(List<LabOrderEvent> orders) {
        var pending = new Pending();
        for (LabOrderEvent order : orders) {
            var key = order.getPlacerOrderNumber() == null ? null : List.of(order.getTenantId(),
                    Task.environment(order.getEnvironment()), order.getPlacerOrderNumber().getValue());
            if (order.getAction() == OrderAction.NEW) {
                if (key != null && pending.changed.containsKey(key)) {
                    pending.changes();
                }
                pending.created.add(task(order));
                if (key != null) {
                    pending.createdFor.add(key);
                }
                continue;
            }
            var change = change(order);
            if (change == null) {
                continue;
            }
            if (pending.createdFor.contains(key)) {
                pending.creations();
            }
            if (pending.changed.containsKey(key)) {
                pending.changes();
            }
            pending.changed.put(key, change);
        }
        pending.creations();
        pending.changes();
        audit.record(pending.decisions);
        if (log.isDebugEnabled()) {
            log.debug("event=orders-applied orders={} changes={}", orders.size(), pending.decisions.size());
        }
    }

    /**
     * What is yet to be written: new orders' tasks, and changes to orders none of which has a new task pending (one
     * change per order), so the two sets commute and each is one statement.
     */
    private final class Pending {
        final List<Task> created = new ArrayList<>();
        final java.util.Set<List<String>> createdFor = new java.util.HashSet<>();
        final java.util.Map<List<String>, TaskRepository.Change> changed = new java.util.LinkedHashMap<>();
        final List<AuditDecision> decisions = new ArrayList<>();

        void creations() {
            decisions.addAll(audit.created(tasks.insertIfAbsent(created)));
            created.clear();
            createdFor.clear();
        }

        void changes() {
            for (var moved : tasks.transition(List.copyOf(changed.values()))) {
                decisions.add(audit.decision(moved.change().action(), moved.task(), moved.change().eventId(),
                        moved.change().rawMessageId()));
            }
            changed.clear();
        }
    }

    /** What a cancel, hold or release does to the order's review tasks; an update (or no placer number) none. */
    private static TaskRepository.Change change(LabOrderEvent order) {
        if (order.getPlacerOrderNumber() == null) {
            return null;
        }
        List<String> from;
        String to;
        String action;
        switch (order.getAction()) {
            case CANCEL -> {
                from = List.of(Task.OPEN, Task.ON_HOLD);
                to = Task.CANCELLED;
                action = "task.cancelled";
            }
            case HOLD -> {
                from = List.of(Task.OPEN);
                to = Task.ON_HOLD;
                action = "task.held";
            }
            case RESUME -> {
                from = List.of(Task.ON_HOLD);
                to = Task.OPEN;
                action = "task.resumed";
            }
            default -> {
                return null;
            }
        }
        return new TaskRepository.Change(order.getTenantId(), Task.environment(order.getEnvironment()),
                order.getPlacerOrderNumber().getValue(), from, to, action, order.getEventId(),
                order.getSource().getRawMessageId());
    }

    private static Task task(LabOrderEvent order) {
        return Task.open(Task.REVIEW_NEW_ORDER, order.getTenantId(), Task.environment(order.getEnvironment()),
                order.getEventId(), order.getSource().getReceivedAt(), order.getSource().getRawMessageId(),
                order.getPlacerOrderNumber() == null ? null : order.getPlacerOrderNumber().getValue(),
                order.getPriority().name(),
                order.getTests().stream().map(t -> t.getCode()).collect(Collectors.joining(", ")), null);
    }
}
