package labops.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Map;
import labops.platform.web.Problems;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Enforces, for every API request ({@code /api/**} or a handler with {@link RequiresScope}) before the handler runs: a declared {@link RequiresScope} that the token
 * carries, the path's {@code {tenantId}} against the token's tenant (404 for another tenant's), and the path's
 * {@code {environment}} against an API client's environment (403). Services add their own checks on top.
 */
public class TenantAccessInterceptor implements HandlerInterceptor {

    public static final String TENANT_VARIABLE = "tenantId";
    public static final String ENVIRONMENT_VARIABLE = "environment";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresScope required = requiredScope(method);
        if (required == null && !request.getRequestURI().startsWith("/api/")) {
            return true;
        }
        if (required == null) {
            throw Problems.of(HttpStatus.FORBIDDEN, "this endpoint declares no scope and is closed");
        }
        Caller caller = Caller.of(SecurityContextHolder.getContext().getAuthentication());
        @SuppressWarnings("unchecked")
        var variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables != null && variables.containsKey(TENANT_VARIABLE)) {
            caller.forTenant(variables.get(TENANT_VARIABLE));
        }
        if (Arrays.stream(required.value()).noneMatch(caller.scopes()::contains)) {
            throw Problems.of(HttpStatus.FORBIDDEN, "this token lacks the scope " + String.join(" or ", required.value()));
        }
        if (variables != null && variables.containsKey(ENVIRONMENT_VARIABLE)) {
            caller.forEnvironment(variables.get(ENVIRONMENT_VARIABLE));
        }
        return true;
    }

    /** The method's declaration, else its class's. */
    public static RequiresScope requiredScope(HandlerMethod method) {
        RequiresScope onMethod = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequiresScope.class);
        return onMethod != null ? onMethod
                : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresScope.class);
    }
}
