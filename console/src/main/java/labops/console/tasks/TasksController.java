package labops.console.tasks;

import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** A tenant's staff queue, from workflow-service's JSON API. */
@Controller
class TasksController {

    private final LabOpsApis apis;

    TasksController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}/tasks")
    String tasks(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, Model model) {
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("tasks", apis.tasks(tenant));
        return "tasks";
    }
}
