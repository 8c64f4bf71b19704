package labops.console.release;

import java.util.Arrays;
import java.util.LinkedHashMap;
import labops.console.api.ApiProblem;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A tenant admin's choice of which results a person reviews before they go to the hospital: all of them, those of
 * some tests, or (by default) none, a final result verified by the lab's own LIS being released on arrival; and
 * whether preliminary results are sent at all. tenant-service keeps and audits it; workflow applies it.
 */
@Controller
class ReleasePolicyController {

    private static final String POLICY = "/api/tenants/{t}/release-policy";

    private final LabOpsApis apis;

    ReleasePolicyController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}/release")
    String policy(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, Model model) {
        return page(principal, tenant, model);
    }

    @PostMapping("/tenants/{tenant}/release")
    String change(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                  @RequestParam(defaultValue = "false") boolean reviewAll,
                  @RequestParam(defaultValue = "") String reviewTests,
                  @RequestParam(defaultValue = "false") boolean releasePreliminary, Model model) {
        var policy = new LinkedHashMap<String, Object>();
        policy.put("reviewAll", reviewAll);
        policy.put("reviewTests", Arrays.stream(reviewTests.split("[,\\s]+")).filter(code -> !code.isBlank()).toList());
        policy.put("releasePreliminary", releasePreliminary);
        try {
            apis.tenantChange(HttpMethod.PUT, policy, POLICY, tenant);
            model.addAttribute("notice", "Saved: workflow applies it to the next result that arrives.");
        } catch (ApiProblem problem) {
            if (problem.status() != 422) {
                throw problem;
            }
            model.addAttribute("problem", problem.getMessage());
        }
        return page(principal, tenant, model);
    }

    private String page(OidcUser principal, String tenant, Model model) {
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("policy", apis.tenant(POLICY, tenant));
        return "release";
    }
}
