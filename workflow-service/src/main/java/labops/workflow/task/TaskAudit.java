package labops.workflow.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
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

    List<AuditDecision> created(List<Task> tasks) {
        return tasks.stream().map(task -> decision("task.created", task, task.sourceEventId(), task.rawMessageId()))
                .toList();
    }

    /** Waits for the audit log to have every decision: a failure here rolls the caller's transaction back. */
    void record(List<AuditDecision> decisions) throws Exception {
        CompletableFuture.allOf(decisions.stream().map(audit::publish).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
    }
}
