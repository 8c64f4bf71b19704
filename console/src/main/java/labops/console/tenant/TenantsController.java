package labops.console.tenant;

import java.util.Map;
import labops.console.api.ApiProblem;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Where people land, and the tenant list Lab Ops admins create tenants from. */
@Controller
class TenantsController {

    private final LabOpsApis apis;

    TenantsController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal OidcUser principal) {
        return "redirect:" + ConsoleUser.of(principal).home();
    }

    @GetMapping("/tenants")
    String tenants(@AuthenticationPrincipal OidcUser principal, Model model) {
        var user = ConsoleUser.of(principal);
        if (user.tenantId() != null) {
            return "redirect:" + user.home();
        }
        return list(user, model, null);
    }

    @PostMapping("/tenants")
    String create(@AuthenticationPrincipal OidcUser principal, @RequestParam String id, @RequestParam String name,
                  Model model) {
        var user = ConsoleUser.of(principal);
        try {
            apis.tenantChange(HttpMethod.POST, Map.of("id", id, "name", name), "/api/tenants");
            return "redirect:/tenants/" + id;
        } catch (ApiProblem problem) {
            return list(user, model, problem.getMessage());
        }
    }

    private String list(ConsoleUser user, Model model, String error) {
        model.addAttribute("user", user);
        model.addAttribute("tenants", apis.tenantList("/api/tenants"));
        model.addAttribute("error", error);
        return "tenants";
    }
}
