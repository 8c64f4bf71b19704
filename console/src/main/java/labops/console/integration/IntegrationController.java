package labops.console.integration;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
 * The integration page: one tenant, one environment at a time, a section per direction with what hospital IT needs
 * from Lab Ops and what Lab Ops needs from them. Every action calls tenant-service with the person's token and shows
 * the page again; a secret it creates is shown in that answer only.
 */
@Controller
class IntegrationController {

    private final LabOpsApis apis;

    IntegrationController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}")
    String page(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                @RequestParam(defaultValue = "sandbox") String environment, Model model) {
        return render(principal, tenant, environment, model, null, null);
    }

    @PostMapping("/tenants/{tenant}/suspend")
    String suspend(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, Model model) {
        return act(principal, tenant, "sandbox", model, "Tenant suspended: intake and deliveries stop within seconds.",
                () -> apis.tenantChange(HttpMethod.POST, null, "/api/tenants/{t}/suspend", tenant));
    }

    @PostMapping("/tenants/{tenant}/resume")
    String resume(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, Model model) {
        return act(principal, tenant, "sandbox", model, "Tenant resumed.",
                () -> apis.tenantChange(HttpMethod.POST, null, "/api/tenants/{t}/resume", tenant));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/credentials")
    String createCredential(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                            @PathVariable String environment, @RequestParam String name,
                            @RequestParam(required = false) List<String> scopes, Model model) {
        return reveal(principal, tenant, environment, model, "API client secret", () -> apis.tenantChange(HttpMethod.POST,
                Map.of("name", name, "scopes", scopes == null ? List.of() : scopes),
                "/api/tenants/{t}/environments/{e}/credentials", tenant, environment), "clientId", "clientSecret");
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/credentials/{clientId}/rotate")
    String rotateCredential(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                            @PathVariable String environment, @PathVariable String clientId,
                            @RequestParam(defaultValue = "PT24H") String overlap, Model model) {
        return reveal(principal, tenant, environment, model, "API client secret", () -> apis.tenantChange(HttpMethod.POST,
                Map.of("overlap", Duration.parse(overlap).toString()),
                "/api/tenants/{t}/environments/{e}/credentials/{c}/rotate", tenant, environment, clientId),
                "clientId", "clientSecret");
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/credentials/{clientId}/revoke")
    String revokeCredential(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                            @PathVariable String environment, @PathVariable String clientId, Model model) {
        return act(principal, tenant, environment, model, "Credential " + clientId + " revoked: its tokens stop working "
                + "within seconds.", () -> apis.tenantChange(HttpMethod.POST, null,
                "/api/tenants/{t}/environments/{e}/credentials/{c}/revoke", tenant, environment, clientId));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/mllp-endpoints")
    String addMllp(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                   @PathVariable String environment, @RequestParam String purpose,
                   @RequestParam(defaultValue = "") String allowedSources,
                   @RequestParam(defaultValue = "") String acceptedTypes,
                   @RequestParam(defaultValue = "false") boolean tls, Model model) {
        List<String> sources = Arrays.stream(allowedSources.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        List<String> types = Arrays.stream(acceptedTypes.split("[,\\s]+")).filter(s -> !s.isBlank())
                .map(String::toUpperCase).toList();
        return act(principal, tenant, environment, model, "MLLP endpoint opened.", () -> apis.tenantChange(HttpMethod.POST,
                Map.of("purpose", purpose, "allowedSources", sources, "tls", tls, "acceptedTypes", types),
                "/api/tenants/{t}/environments/{e}/mllp-endpoints", tenant, environment));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/mllp-endpoints/{id}/revoke")
    String revokeMllp(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                      @PathVariable String environment, @PathVariable String id, Model model) {
        return act(principal, tenant, environment, model, "MLLP endpoint closed.", () -> apis.tenantChange(
                HttpMethod.POST, null, "/api/tenants/{t}/environments/{e}/mllp-endpoints/{id}/revoke", tenant,
                environment, id));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/receive-orders")
    String receiveOrders(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                         @PathVariable String environment, @RequestParam(defaultValue = "false") boolean signatureRequired,
                         Model model) {
        return act(principal, tenant, environment, model, "Receive orders updated.", () -> apis.tenantChange(
                HttpMethod.PUT, Map.of("signatureRequired", signatureRequired),
                "/api/tenants/{t}/environments/{e}/connections/receive-orders", tenant, environment));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/signing-secrets/{direction}")
    String signingSecret(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                         @PathVariable String environment, @PathVariable String direction,
                         @RequestParam(defaultValue = "PT24H") String overlap, Model model) {
        String what = direction.equals("receive-orders") ? "Inbound signing secret" : "Outbound signing secret";
        return reveal(principal, tenant, environment, model, what, () -> apis.tenantChange(HttpMethod.POST,
                Map.of("overlap", Duration.parse(overlap).toString()),
                "/api/tenants/{t}/environments/{e}/connections/{d}/signing-secrets", tenant, environment, direction),
                "fingerprint", "secret");
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/pull-data")
    String pullData(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                    @PathVariable String environment, @RequestParam Map<String, String> form, Model model) {
        var settings = new LinkedHashMap<String, Object>();
        settings.put("fhirBaseUrl", blankToNull(form.get("fhirBaseUrl")));
        settings.put("issuer", blankToNull(form.get("issuer")));
        settings.put("clientId", blankToNull(form.get("clientId")));
        settings.put("authentication", blankToNull(form.get("authentication")));
        settings.put("scopes", Arrays.stream(form.getOrDefault("scopes", "").split("[,\\s]+"))
                .filter(s -> !s.isBlank()).toList());
        settings.put("testPatient", blankToNull(form.get("testPatient")));
        var body = new LinkedHashMap<String, Object>();
        body.put("settings", settings);
        body.put("clientSecret", blankToNull(form.get("clientSecret")));
        return act(principal, tenant, environment, model, "Pull approved data saved.", () -> apis.tenantChange(
                HttpMethod.PUT, body, "/api/tenants/{t}/environments/{e}/connections/pull-data", tenant, environment));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/pull-data/key-pair")
    String keyPair(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                   @PathVariable String environment, Model model) {
        return act(principal, tenant, environment, model, "Key pair generated: register the public key (JWKS URL below).",
                () -> apis.tenantChange(HttpMethod.POST, null,
                        "/api/tenants/{t}/environments/{e}/connections/pull-data/key-pair", tenant, environment));
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/send-results")
    String sendResults(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                       @PathVariable String environment, @RequestParam Map<String, String> form, Model model) {
        var settings = new LinkedHashMap<String, Object>();
        settings.put("kind", blankToNull(form.get("kind")));
        settings.put("address", blankToNull(form.get("address")));
        settings.put("authentication", blankToNull(form.get("authentication")));
        settings.put("username", blankToNull(form.get("username")));
        var body = new LinkedHashMap<String, Object>();
        body.put("settings", settings);
        body.put("credential", blankToNull(form.get("credential")));
        return act(principal, tenant, environment, model, "Result destination saved.", () -> apis.tenantChange(
                HttpMethod.PUT, body, "/api/tenants/{t}/environments/{e}/connections/send-results", tenant, environment));
    }

    @PostMapping("/tenants/{tenant}/go-live/{direction}/items/{item}")
    String confirm(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                   @PathVariable String direction, @PathVariable String item, @RequestParam String note, Model model) {
        return act(principal, tenant, "production", model, "Checklist item confirmed.", () -> apis.tenantChange(
                HttpMethod.PUT, Map.of("note", note), "/api/tenants/{t}/go-live/{d}/items/{i}", tenant, direction, item));
    }

    @PostMapping("/tenants/{tenant}/go-live/{direction}/activate")
    String activate(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                    @PathVariable String direction, Model model) {
        return act(principal, tenant, "production", model, "Production " + direction + " is live.", () ->
                apis.tenantChange(HttpMethod.POST, null, "/api/tenants/{t}/go-live/{d}/activate", tenant, direction));
    }

    @PostMapping("/tenants/{tenant}/users")
    String addUser(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                   @RequestParam String username, @RequestParam String displayName, @RequestParam String role,
                   @RequestParam String password, Model model) {
        return act(principal, tenant, "sandbox", model, "User " + username + " added.", () -> apis.tenantChange(
                HttpMethod.POST, Map.of("username", username, "displayName", displayName, "role", role,
                        "password", password), "/api/tenants/{t}/users", tenant));
    }

    private String act(OidcUser principal, String tenant, String environment, Model model, String notice,
                       Supplier<Map<String, Object>> change) {
        try {
            change.get();
            return render(principal, tenant, environment, model, notice, null);
        } catch (ApiProblem problem) {
            return render(principal, tenant, environment, model, null, problem.getMessage());
        }
    }

    private String reveal(OidcUser principal, String tenant, String environment, Model model, String what,
                          Supplier<Map<String, Object>> change, String labelField, String secretField) {
        try {
            var answer = change.get();
            model.addAttribute("revealed", new Revealed(what, String.valueOf(answer.get(labelField)),
                    String.valueOf(answer.get(secretField))));
            return render(principal, tenant, environment, model, null, null);
        } catch (ApiProblem problem) {
            return render(principal, tenant, environment, model, null, problem.getMessage());
        }
    }

    private String render(OidcUser principal, String tenant, String environment, Model model, String notice,
                          String error) {
        var user = ConsoleUser.of(principal);
        Map<String, Object> view = apis.tenant("/api/tenants/{t}/integration", tenant);
        @SuppressWarnings("unchecked")
        var environments = (List<Map<String, Object>>) view.get("environments");
        var selected = environments.stream().filter(e -> environment.equals(e.get("name"))).findFirst()
                .orElse(environments.get(0));
        model.addAttribute("user", user);
        model.addAttribute("view", view);
        model.addAttribute("tenant", view.get("tenant"));
        model.addAttribute("env", selected);
        model.addAttribute("environment", selected.get("name"));
        model.addAttribute("curlExample", curlExample(view, selected));
        model.addAttribute("users", apis.tenantList("/api/tenants/{t}/users", tenant));
        model.addAttribute("guide", guide(apis::hl7Guide));
        model.addAttribute("fhirGuide", guide(() -> apis.fhirGuide(tenant, (String) selected.get("name"))));
        model.addAttribute("restGuide", guide(() -> apis.restGuide(tenant, (String) selected.get("name"))));
        model.addAttribute("notice", notice);
        model.addAttribute("error", error);
        return "integration";
    }

    /** Payload guidance from the normalizer itself; the page says so when it cannot be reached. */
    private static Map<String, Object> guide(Supplier<Map<String, Object>> fromNormalizer) {
        try {
            return fromNormalizer.get();
        } catch (RuntimeException unavailable) {
            return null;
        }
    }

    /** How a hospital gets a token and sends its first order, with this environment's own URLs. */
    @SuppressWarnings("unchecked")
    private static String curlExample(Map<String, Object> view, Map<String, Object> environment) {
        var receive = (Map<String, Object>) environment.get("receiveOrders");
        var http = (List<Map<String, Object>>) receive.get("http");
        return "TOKEN=$(curl -s -u \"$CLIENT_ID:$CLIENT_SECRET\" -d grant_type=client_credentials "
                + view.get("tokenEndpoint") + " | jq -r .access_token)\n"
                + "curl -H \"Authorization: Bearer $TOKEN\" -H \"Content-Type: application/hl7-v2\" "
                + "--data-binary @order.hl7 " + http.get(0).get("url");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
