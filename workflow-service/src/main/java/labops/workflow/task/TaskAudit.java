package labops.workflow.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
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

    /** A person's action: who, which task, and the reason code it was closed or reopened with (no free text). */
    AuditDecision action(TaskAction action, Task task, String actor) {
        String reason = task.closure() == null || task.closure().reasonCode() == null ? ""
                : " reason " + task.closure().reasonCode();
        String assignee = action == TaskAction.ASSIGN ? " to " + task.assignee() : "";
        return new AuditDecision(action.audited, AuditDecision.SUCCESS, task.tenantId(), task.environment(),
                task.rawMessageId(), task.sourceEventId().toString(),
                task.kind() + " task " + task.id() + assignee + reason, actor, Instant.now());
    }

    List<AuditDecision> created(List<Task> tasks) {
        return tasks.stream().map(task -> decision("task.created", task, task.sourceEventId(), task.rawMessageId()))
                .toList();
    }

    /**
     * Waits for the audit log to have every decision: a failure here rolls the caller's transaction back. The broker
     * not answering in time is an outage ({@link org.apache.kafka.common.errors.TimeoutException}, retriable), waited
     * out by the consumer failure policy like any other.
     */
    void record(List<AuditDecision> decisions) {
        try {
            CompletableFuture.allOf(decisions.stream().map(audit::publish).toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit log was written", e);
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("the audit log did not acknowledge in time", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new KafkaException(e.getCause());
        }
    }
}
