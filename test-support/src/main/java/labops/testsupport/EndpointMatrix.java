package labops.testsupport;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every HTTP endpoint of a service, enumerated from the application's own request mappings, called as an outsider
 * would: without a token, with another tenant's token, with a token lacking the endpoint's scope. A new endpoint is in
 * the matrix the moment it is mapped; one that declares no {@code @RequiresScope} fails it.
 */
public final class EndpointMatrix {

    /** Paths every service leaves open (probes, metrics, API description, error page): not part of its API. */
    public static final List<String> OPEN_PREFIXES = List.of("/actuator", "/v3/api-docs", "/swagger-ui", "/error");

    private static final String REQUIRES_SCOPE = "labops.platform.security.RequiresScope";
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(:[^}]*)?}");
    private static final Pattern SCOPE_CLAIM = Pattern.compile("\"scope\"\\s*:\\s*\\[([^]]*)]");

    /** One mapped endpoint: method, path pattern, the scopes it accepts, a content type it consumes. */
    public record Endpoint(String method, String pattern, List<String> scopes, String contentType) {

        public boolean tenantScoped() {
            return pattern.contains("{tenantId}");
        }

        /** The path with every variable replaced from {@code values} ({@code tenantId} included). */
        public String path(Map<String, String> values) {
            Matcher matcher = VARIABLE.matcher(pattern);
            var path = new StringBuilder();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null) {
                    throw new AssertionError("no sample value for path variable " + matcher.group(1) + " of " + this);
                }
                matcher.appendReplacement(path, Matcher.quoteReplacement(value));
            }
            return matcher.appendTail(path).toString();
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private EndpointMatrix() {
    }

    /**
     * The endpoints of a service outside {@code excludedPrefixes} (its open paths: actuator, API docs, sign-in pages).
     * Fails when one declares no {@link RequiresScope}.
     */
    public static List<Endpoint> endpoints(RequestMappingHandlerMapping mapping, List<String> excludedPrefixes) {
        var endpoints = new ArrayList<Endpoint>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            for (String pattern : entry.getKey().getPatternValues()) {
                if (excludedPrefixes.stream().anyMatch(pattern::startsWith)) {
                    continue;
                }
                String[] scopes = requiredScopes(entry.getValue()).orElseThrow(() -> new AssertionError(
                        pattern + " (" + entry.getValue() + ") declares no @RequiresScope"));
                var methods = entry.getKey().getMethodsCondition().getMethods();
                for (var method : methods.isEmpty() ? Set.of(org.springframework.web.bind.annotation.RequestMethod.GET)
                        : methods) {
                    var consumes = entry.getKey().getConsumesCondition().getConsumableMediaTypes();
                    endpoints.add(new Endpoint(method.name(), pattern, List.of(scopes),
                            consumes.isEmpty() ? "application/json" : consumes.iterator().next().toString()));
                }
            }
        }
        return endpoints;
    }

    /**
     * The scopes of platform's {@code @RequiresScope} on the method, else on its class. Read by name: test-support
     * sits below platform in the build and cannot depend on it.
     */
    private static Optional<String[]> requiredScopes(HandlerMethod method) {
        for (var element : List.of(method.getMethod(), method.getBeanType())) {
            Optional<String[]> scopes = MergedAnnotations.from(element, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                    .stream().filter(a -> a.getType().getName().equals(REQUIRES_SCOPE))
                    .map(a -> a.getStringArray(MergedAnnotation.VALUE)).findFirst();
            if (scopes.isPresent()) {
                return scopes;
            }
        }
        return Optional.empty();
    }

    /** The token among {@code tokens} whose scopes include one the endpoint accepts. */
    public static Optional<String> tokenFor(Endpoint endpoint, List<String> tokens) {
        return tokens.stream().filter(t -> scopes(t).stream().anyMatch(endpoint.scopes()::contains)).findFirst();
    }

    /** A token that carries none of the scopes the endpoint accepts. */
    public static Optional<String> tokenWithout(Endpoint endpoint, List<String> tokens) {
        return tokens.stream().filter(t -> scopes(t).stream().noneMatch(endpoint.scopes()::contains)).findFirst();
    }

    /** The {@code scope} claim of a JWT, read without verifying it (the service verifies). */
    public static List<String> scopes(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher matcher = SCOPE_CLAIM.matcher(payload);
        if (!matcher.find()) {
            return List.of();
        }
        return Arrays.stream(matcher.group(1).split(",")).map(s -> s.trim().replace("\"", "")).filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * Calls every endpoint three ways and returns every answer that broke the rules (empty when none): no token must
     * give 401; another tenant's token that has the scope must give 403 or 404 on a tenant-scoped endpoint; a token
     * without the scope must give 403. {@code stateOfVictim} must not change across all calls.
     */
    public static List<String> violations(Api api, List<Endpoint> endpoints, Map<String, String> victimPath,
                                          List<String> attackerTokens, List<String> victimTokens,
                                          Supplier<String> stateOfVictim) {
        String before = stateOfVictim.get();
        var violations = new ArrayList<String>();
        for (Endpoint endpoint : endpoints) {
            String path = endpoint.path(victimPath);
            String body = endpoint.method().equals("GET") || endpoint.method().equals("DELETE") ? null : "{}";
            String type = endpoint.contentType();
            expect(violations, endpoint, "no token", api.withToken(null).send(endpoint.method(), path, body, type), 401);
            if (endpoint.tenantScoped()) {
                tokenFor(endpoint, attackerTokens).ifPresent(token -> expect(violations, endpoint,
                        "another tenant's token", api.withToken(token).send(endpoint.method(), path, body, type),
                        403, 404));
            }
            tokenWithout(endpoint, victimTokens).ifPresent(token -> expect(violations, endpoint,
                    "a token without " + endpoint.scopes(),
                    api.withToken(token).send(endpoint.method(), path, body, type), 403));
        }
        String after = stateOfVictim.get();
        if (!before.equals(after)) {
            violations.add("the victim's state changed:\nbefore " + before + "\nafter  " + after);
        }
        return violations;
    }

    private static void expect(List<String> violations, Endpoint endpoint, String as, HttpResponse<String> response,
                               int... allowed) {
        if (Arrays.stream(allowed).noneMatch(status -> status == response.statusCode())) {
            violations.add(endpoint + " with " + as + ": " + response.statusCode() + " " + response.body());
        }
    }
}
