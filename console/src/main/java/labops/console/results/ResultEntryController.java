package labops.console.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.console.api.ApiProblem;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Results entered by lab staff, one order's observation at a time, for a small lab without an LIS interface. The
 * form goes to ingress's result API with the person's own token, so the result carries who entered it: it always
 * waits for another person's review and that person releases it. A form sent twice (a double click, a reload) is one
 * submission: each form carries its own Idempotency-Key.
 */
@Controller
class ResultEntryController {

    /** The form's fields, as the REST result format names them. */
    private static final List<String> RESULT_FIELDS = List.of("orderNumber", "orderNumberSystem", "status");
    private static final List<String> OBSERVATION_FIELDS = List.of("code", "system", "display", "value", "unit",
            "referenceRange", "interpretation");

    private final LabOpsApis apis;

    ResultEntryController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}/results/new")
    String form(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, Model model) {
        return page(principal, tenant, Map.of(), model);
    }

    @PostMapping("/tenants/{tenant}/results")
    String enter(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                 @RequestParam MultiValueMap<String, String> form, Model model) {
        var result = new LinkedHashMap<String, Object>();
        RESULT_FIELDS.forEach(name -> put(result, name, form.getFirst(name)));
        result.put("patient", Map.of("mrn", value(form.getFirst("mrn")), "mrnSystem", value(form.getFirst("mrnSystem"))));
        var observation = new LinkedHashMap<String, Object>();
        OBSERVATION_FIELDS.forEach(name -> put(observation, name, form.getFirst(name)));
        result.put("observations", List.of(observation));
        String environment = "production".equals(form.getFirst("environment")) ? "production" : "sandbox";
        try {
            var answer = apis.submitResults(tenant, environment, value(form.getFirst("key")),
                    Map.of("results", List.of(result)));
            @SuppressWarnings("unchecked")
            var stored = ((List<Map<String, Object>>) answer.get("results")).get(0);
            model.addAttribute("notice", "Result for " + stored.get("orderNumber") + " stored: it waits for another "
                    + "person's review before it goes to the hospital.");
            return page(principal, tenant, Map.of(), model);
        } catch (ApiProblem problem) {
            if (problem.status() != 422) {
                throw problem;
            }
            model.addAttribute("problem", problem.getMessage());
            // "/results/0/observations/0/value: must not be blank" as the form names it: "value: must not be blank".
            model.addAttribute("errors", problem.problems().stream()
                    .map(error -> error.replaceFirst("^/results/0/(observations/0/|patient/)?", "")).toList());
            return page(principal, tenant, form.toSingleValueMap(), model);
        }
    }

    private String page(OidcUser principal, String tenant, Map<String, String> sent, Model model) {
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("sent", sent);
        model.addAttribute("key", UUID.randomUUID().toString());
        return "result-entry";
    }

    private static void put(Map<String, Object> into, String name, String value) {
        if (value != null && !value.isBlank()) {
            into.put(name, value.strip());
        }
    }

    private static String value(String value) {
        return value == null ? "" : value.strip();
    }
}
