package labops.console.mapping;

import java.util.List;
import java.util.Map;
import labops.console.api.ApiProblem;
import labops.console.api.EventJson;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The mapping page: a tenant admin edits the environment's mapping profile, previews the canonical events a pasted
 * message becomes under the draft (nothing published), and saves it as the next version once the normalizer finds
 * it valid. The normalizer's API decides everything; this page only turns lines into rules and back.
 */
@Controller
class MappingController {

    private static final String SAMPLE = String.join("\n",
            "MSH|^~\\&|EHR|HOSPITAL|LABOPS|LAB|20261125083000||ORM^O01|MSG-0001|P|2.3",
            "PID|1||MRN-100234^^^HOSPITAL^MR||TESTPATIENT^ALICE||19470312|F|||12 Sample Street^^Springfield^IL^62701",
            "PV1|1|O",
            "ORC|NW|PON-1001^EHR|||||^^^^^R",
            "OBR|1|PON-1001^EHR||GLU^Glucose^L");


    private final LabOpsApis apis;

    MappingController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}/mapping")
    String page(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                @RequestParam(defaultValue = "sandbox") String environment, Model model) {
        var inForce = object(apis.mappingProfile(HttpMethod.GET, null, tenant, environment, ""));
        @SuppressWarnings("unchecked")
        var rules = (Map<String, Object>) inForce.get("rules");
        return render(principal, tenant, environment, ProfileForm.of(rules, SAMPLE), model);
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/mapping/preview")
    String preview(@PathVariable String tenant, @PathVariable String environment, @ModelAttribute ProfileForm form,
                   Model model) {
        var rules = form.rules();
        if (!rules.problems().isEmpty()) {
            model.addAttribute("previewProblems", rules.problems());
            return "mapping :: preview";
        }
        try {
            var preview = object(apis.mappingProfile(HttpMethod.POST,
                    Map.of("rules", rules.json(), "message", form.sample() == null ? "" : form.sample()),
                    tenant, environment, "/preview"));
            model.addAttribute("unmappable", preview.get("unmappable"));
            model.addAttribute("events", ((List<?>) preview.getOrDefault("events", List.of())).stream()
                    .map(MappingController::object)
                    .map(e -> Map.of("type", e.get("type"), "topic", e.get("topic"), "event", EventJson.indented(e.get("event"))))
                    .toList());
        } catch (ApiProblem problem) {
            model.addAttribute("previewProblems", problem.problems().isEmpty() ? List.of(problem.getMessage())
                    : problem.problems());
        }
        return "mapping :: preview";
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/mapping")
    String save(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                @PathVariable String environment, @ModelAttribute ProfileForm form, Model model) {
        var rules = form.rules();
        if (rules.problems().isEmpty()) {
            try {
                var saved = object(apis.mappingProfile(HttpMethod.PUT, rules.json(), tenant, environment, ""));
                model.addAttribute("notice", "Version " + saved.get("version") + " saved: new messages are mapped "
                        + "with it within seconds.");
            } catch (ApiProblem problem) {
                if (problem.problems().isEmpty()) {
                    throw problem;
                }
                model.addAttribute("problems", problem.problems());
            }
        } else {
            model.addAttribute("problems", rules.problems());
        }
        return render(principal, tenant, environment, form, model);
    }

    private String render(OidcUser principal, String tenant, String environment, ProfileForm form, Model model) {
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("environment", environment);
        model.addAttribute("form", form);
        model.addAttribute("versions", apis.mappingProfile(HttpMethod.GET, null, tenant, environment, "/versions"));
        return "mapping";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object answer) {
        return answer instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
