package labops.workflow.task;

import java.util.List;
import java.util.UUID;
import labops.platform.security.Caller;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import labops.workflow.release.ResultRelease;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * People working tasks. Every action is decided on a version of the task: it applies only if the task is still at
 * that version (one conditional update, so of two people acting at once exactly one wins), and the other gets 409 with
 * the task as it now is. Each change is in the audit log, with the person, before it commits, and what it sets in
 * motion ({@link TaskFollowUps}) commits with it.
 */
@Service
class TaskActions {

    private final TaskRepository tasks;
    private final TaskAudit audit;
    private final TaskFollowUps followUps;

    TaskActions(TaskRepository tasks, TaskAudit audit, TaskFollowUps followUps) {
        this.tasks = tasks;
        this.audit = audit;
        this.followUps = followUps;
    }

    @Transactional
    Task act(Caller caller, String tenantId, UUID taskId, TaskAction action, TaskActionRequest request) {
        String actor = caller.subject();
        Task current = tasks.find(tenantId, taskId).orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no such task"));
        if (request.version() == null) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "version: the task's version the action was decided on");
        }
        if (current.version() != request.version()) {
            throw TaskConflict.of(current, "the task changed since version " + request.version() + ": it is now "
                    + current.status() + (current.assignee() == null ? "" : ", assigned to " + current.assignee())
                    + " at version " + current.version());
        }
        if (ResultRelease.REVIEW_RESULTS.equals(current.kind())
                && (action == TaskAction.COMPLETE || action == TaskAction.REJECT)) {
            caller.require(Scopes.RESULTS_RELEASE);
        }
        var update = TaskRules.apply(current, action, request, actor);
        Task changed = tasks.update(tenantId, taskId, request.version(), update).orElseThrow(() -> {
            Task now = tasks.find(tenantId, taskId).orElse(current);
            return TaskConflict.of(now, "someone else changed the task first: it is now " + now.status()
                    + (now.assignee() == null ? "" : ", assigned to " + now.assignee()));
        });
        audit.record(List.of(audit.action(action, changed, actor)));
        followUps.after(changed, action, actor);
        return changed;
    }
}
