package labops.workflow.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.workflow.Acknowledgements;
import org.springframework.stereotype.Component;

/** Task changes in the audit log: published and acknowledged before the change commits, so none goes unrecorded. */
@Component
class TaskAudit {

    private final AuditPublisher audit;

    TaskAudit(AuditPublisher audit) {
        this.audit = audit;
    }

    AuditDecision decision(String action, Task task, UUID eventId, String rawMessageId) {
        return new AuditDecision(action, AuditDecision.SUCCESS, task.tenantId(), task.environment(), rawMessageId,
                eventId.toString(), task.kind() + " task " + task.id(), audit.actor(), Instant.now());
    }

    /** A person's action: who, which task, and the reason code it was closed or reopened with (no free text). */
    AuditDecision action(TaskAction action, Task task, String actor) {
        String reason = task.closure() == null || task.closure().reasonCode() == null ? ""
                : " reason " + task.closure().reasonCode();
        String assignee = action == TaskAction.ASSIGN ? " to " + task.assignee() : "";
        return new AuditDecision(action.audited, AuditDecision.SUCCESS, task.tenantId(), task.environment(),
                task.rawMessageId(), task.sourceEventId().toString(),
                task.kind() + " task " + task.id() + assignee + reason, actor, Instant.now());
    }

    /** A person saw the patient behind a task: who, which task; never the patient's details. */
    AuditDecision viewed(Task task, String actor) {
        return new AuditDecision("patient.viewed", AuditDecision.SUCCESS, task.tenantId(), task.environment(),
                task.rawMessageId(), task.sourceEventId().toString(), "patient of " + task.kind() + " task " + task.id(),
                actor, Instant.now());
    }

    List<AuditDecision> created(List<Task> tasks) {
        return tasks.stream().map(task -> decision("task.created", task, task.sourceEventId(), task.rawMessageId()))
                .toList();
    }

    /** Publishes the decisions and waits for the audit log to have every one ({@link Acknowledgements}). */
    void record(List<AuditDecision> decisions) {
        Acknowledgements.await(decisions.stream().map(audit::publish).toList());
    }
}
