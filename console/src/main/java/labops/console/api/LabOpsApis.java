package labops.console.api;

import java.util.List;
import java.util.Map;
import labops.console.ConsoleProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The services' JSON APIs, called with the signed-in person's access token: the services decide what that person
 * may see and do. A refusal comes back as an {@link ApiProblem} carrying the service's own explanation.
 */
@Component
public class LabOpsApis {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ParameterizedTypeReference<Map<String, Object>> OBJECT = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };

    private final RestClient tenantService;
    private final RestClient workflow;
    private final RestClient normalizer;
    private final RestClient ingress;

    LabOpsApis(RestClient.Builder http, OAuth2AuthorizedClientManager clients, ConsoleProperties properties) {
        var interceptor = new OAuth2ClientHttpRequestInterceptor(clients);
        interceptor.setClientRegistrationIdResolver(request -> "labops");
        RestClient.Builder authorized = http.clone().requestInterceptor(interceptor)
                .defaultStatusHandler(status -> status.isError(), (request, response) -> {
                    throw problem(response);
                });
        this.tenantService = authorized.clone().baseUrl(properties.tenantService()).build();
        this.workflow = authorized.clone().baseUrl(properties.workflow()).build();
        this.normalizer = authorized.clone().baseUrl(properties.normalizer()).build();
        this.ingress = authorized.clone().baseUrl(properties.ingress()).build();
    }

    public Map<String, Object> tenant(String path, Object... variables) {
        return tenantService.get().uri(path, variables).retrieve().body(OBJECT);
    }

    public List<Map<String, Object>> tenantList(String path, Object... variables) {
        return tenantService.get().uri(path, variables).retrieve().body(LIST);
    }

    /** A change at tenant-service; answers the JSON object it returns (empty for none or a list). */
    public Map<String, Object> tenantChange(HttpMethod method, Object body, String path, Object... variables) {
        var spec = tenantService.method(method).uri(path, variables);
        if (body != null) {
            spec.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        var answer = spec.retrieve().body(Object.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> object = answer instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        return object;
    }

    /** A tenant's tasks in one status, optionally one environment, one kind and matching {@code search}. */
    public List<Map<String, Object>> tasks(String tenantId, String status, String environment, String search,
                                           String kind) {
        return workflow.get().uri(uri -> {
            uri.path("/api/tenants/{tenant}/tasks").queryParam("status", status);
            if (environment != null) {
                uri.queryParam("environment", environment);
            }
            if (search != null) {
                uri.queryParam("q", search);
            }
            if (kind != null) {
                uri.queryParam("kind", kind);
            }
            return uri.build(tenantId);
        }).retrieve().body(LIST);
    }

    /** A tenant environment's reporting figures for the orders received in a range of days. */
    public Map<String, Object> report(String tenantId, String environment, String from, String to) {
        return workflow.get().uri("/api/reports/{t}/{e}?from={f}&to={to}", tenantId, environment, from, to)
                .retrieve().body(OBJECT);
    }

    /** Reason codes and fields each kind of task asks for, as workflow-service's rules have them. */
    public Map<String, Object> taskKinds() {
        return workflow.get().uri("/api/task-kinds").retrieve().body(OBJECT);
    }

    /** The patient behind a task, for a person whose role allows it; workflow audits the view. */
    public Map<String, Object> taskPatient(String tenantId, String taskId) {
        return workflow.get().uri("/api/tenants/{tenant}/tasks/{task}/patient", tenantId, taskId).retrieve()
                .body(OBJECT);
    }

    /** A person's action on a task: the task as it now is, or the service's refusal (409 with what changed). */
    public Map<String, Object> taskAction(String tenantId, String taskId, String action, Map<String, Object> body) {
        return workflow.post().uri("/api/tenants/{tenant}/tasks/{task}/{action}", tenantId, taskId, action)
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(OBJECT);
    }

    /** A tenant's mapping profile at the normalizer: {@code path} below {@code .../environments/{e}/mapping-profile}. */
    public Object mappingProfile(HttpMethod method, Object body, String tenantId, String environment, String path) {
        var spec = normalizer.method(method).uri("/api/tenants/{t}/environments/{e}/mapping-profile" + path,
                tenantId, environment);
        if (body != null) {
            spec.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return spec.retrieve().body(Object.class);
    }

    public Map<String, Object> hl7Guide() {
        return normalizer.get().uri("/api/guide/hl7v2").retrieve().body(OBJECT);
    }

    /** FHIR examples in the tenant environment's own terms (its mapping profile), with the events each becomes. */
    public Map<String, Object> fhirGuide(String tenantId, String environment) {
        return normalizer.get().uri("/api/tenants/{t}/environments/{e}/guide/fhir", tenantId, environment).retrieve()
                .body(OBJECT);
    }

    /** The REST JSON order example in the tenant environment's own terms, with the events it becomes. */
    public Map<String, Object> restGuide(String tenantId, String environment) {
        return normalizer.get().uri("/api/tenants/{t}/environments/{e}/guide/rest", tenantId, environment).retrieve()
                .body(OBJECT);
    }

    /** The canonical orders an import's first valid rows become, each {row, order, unmappable}. */
    public List<Map<String, Object>> importPreview(String tenantId, String environment, String batch) {
        return ingress.get().uri("/api/imports/{t}/{e}/{b}/preview", tenantId, environment, batch).retrieve()
                .body(LIST);
    }

    /**
     * Streams an export of workflow's ({@code kind}: orders or results) to {@code sink} as it arrives, with its
     * content type and file name; a refusal is an {@link ApiProblem} before anything is written.
     */
    public void export(String tenantId, String environment, String kind, String from, String to, String format,
                       ExportSink sink) {
        workflow.get().uri("/api/exports/{t}/{e}/{k}?from={f}&to={to}&format={x}", tenantId, environment, kind, from,
                to, format).exchange((request, response) -> {
                    if (response.getStatusCode().isError()) {
                        throw problem(response);
                    }
                    sink.write(response.getHeaders(), response.getBody());
                    return null;
                }, false);
    }

    /** Where an export goes: its headers first, then its body. */
    public interface ExportSink {
        void write(org.springframework.http.HttpHeaders headers, java.io.InputStream body) throws java.io.IOException;
    }

    /**
     * A service's refusal as the console shows it: its problem+json detail and problems (or invalid fields), else the
     * status text.
     */
    private static ApiProblem problem(org.springframework.http.client.ClientHttpResponse response)
            throws java.io.IOException {
        String detail;
        var problems = new java.util.ArrayList<String>();
        try {
            var body = JSON.readTree(response.getBody());
            detail = body.has("detail") ? body.get("detail").asString() : response.getStatusText();
            if (body.has("problems")) {
                body.get("problems").forEach(problem -> problems.add(problem.asString()));
            }
            if (body.has("errors")) {
                // A REST intake's invalid fields: "the field's JSON Pointer: what is wrong".
                body.get("errors").forEach(error -> problems.add(error.path("pointer").asString() + ": "
                        + error.path("detail").asString()));
            }
        } catch (RuntimeException unreadable) {
            detail = response.getStatusText();
        }
        return new ApiProblem(response.getStatusCode().value(), detail, problems);
    }

    /** A call to ingress's import API below {@code /api/imports/{t}/{e}}; answers the JSON object it returns. */
    public Map<String, Object> imports(HttpMethod method, Object body, MediaType type, String tenantId,
                                       String environment, String path, Object... variables) {
        var all = new java.util.ArrayList<Object>(List.of(tenantId, environment));
        all.addAll(List.of(variables));
        var spec = ingress.method(method).uri("/api/imports/{t}/{e}" + path, all.toArray());
        if (body != null) {
            spec.contentType(type).body(body);
        }
        return spec.retrieve().body(OBJECT);
    }

    /**
     * Results a person entered, to ingress's result API with their token (so the results carry who entered them);
     * the Idempotency-Key makes a form sent twice one submission.
     */
    public Map<String, Object> submitResults(String tenantId, String environment, String idempotencyKey,
                                             Map<String, Object> body) {
        return ingress.post().uri("/api/results/{t}/{e}", tenantId, environment).header("Idempotency-Key",
                idempotencyKey).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(OBJECT);
    }

    /** An import's row-by-row report as CSV. */
    public byte[] importReport(String tenantId, String environment, String batch) {
        return ingress.get().uri("/api/imports/{t}/{e}/{b}/report", tenantId, environment, batch).retrieve()
                .body(byte[].class);
    }
}
