package labops.workflow.task;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** A tenant's staff queue: JSON for integrations, a page for people. */
@Controller
class TaskController {

    private final TaskRepository tasks;

    TaskController(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @GetMapping("/api/tenants/{tenantId}/tasks")
    @ResponseBody
    List<Task> tasks(@PathVariable String tenantId, @RequestParam(defaultValue = "open") String status) {
        return tasks.findByTenant(tenantId, status);
    }

    @GetMapping("/tenants/{tenantId}/tasks")
    String page(@PathVariable String tenantId, Model model) {
        model.addAttribute("tenantId", tenantId);
        model.addAttribute("tasks", tasks.findByTenant(tenantId, "open"));
        return "tasks";
    }
}
