package labops.workflow.task;

import java.util.List;
import labops.events.ResultDeliveryEvent;
import labops.platform.tenant.EnvironmentNames;
import org.springframework.stereotype.Component;

/**
 * A released result the hospital's endpoint did not take after the last attempt becomes a "delivery failed" task:
 * urgent, because the hospital is waiting for a result it has not got. One per result, however often the outcome is
 * reported; audited before the caller's transaction commits.
 */
@Component
public class DeliveryFailures {

    private final TaskRepository tasks;
    private final TaskAudit audit;

    DeliveryFailures(TaskRepository tasks, TaskAudit audit) {
        this.tasks = tasks;
        this.audit = audit;
    }

    /** Opens a task for each failed outcome, in one insert, inside the caller's transaction. */
    public void apply(List<ResultDeliveryEvent> failed) {
        audit.record(audit.created(tasks.insertIfAbsent(failed.stream().map(DeliveryFailures::task).toList())));
    }

    private static Task task(ResultDeliveryEvent outcome) {
        String reason = outcome.getReason() == null ? "no reason recorded" : outcome.getReason();
        return Task.open(Task.DELIVERY_FAILED, outcome.getTenantId(),
                EnvironmentNames.of(outcome.getEnvironment()), outcome.getEventId(), outcome.getAt(),
                outcome.getRawMessageId() == null ? "" : outcome.getRawMessageId(), outcome.getOrderNumber(), "URGENT",
                "", "not delivered after " + outcome.getAttempts() + " attempt(s): " + reason);
    }
}
