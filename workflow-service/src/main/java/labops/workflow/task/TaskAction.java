package labops.workflow.task;

import java.util.Arrays;
import java.util.Optional;

/** What a person can do to a task, as the action's path segment names it. */
public enum TaskAction {
    CLAIM("task.claimed"), ASSIGN("task.assigned"), COMPLETE("task.completed"), REJECT("task.rejected"),
    REOPEN("task.reopened");

    /** The audit log's action for it. */
    final String audited;

    TaskAction(String audited) {
        this.audited = audited;
    }

    public String path() {
        return name().toLowerCase();
    }

    static Optional<TaskAction> ofPath(String path) {
        return Arrays.stream(values()).filter(a -> a.path().equals(path)).findFirst();
    }
}
