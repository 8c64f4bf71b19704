package labops.workflow.task;

import java.util.List;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's staff queue as JSON; the console shows it to people. */
@RestController
class TaskController {

    private final TaskRepository tasks;

    TaskController(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @GetMapping("/api/tenants/{tenantId}/tasks")
    @RequiresScope(Scopes.TASKS_READ)
    List<Task> tasks(@PathVariable String tenantId, @RequestParam(defaultValue = "open") String status) {
        return tasks.findByTenant(tenantId, status);
    }
}
