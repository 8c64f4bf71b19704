package labops.ingress.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import labops.platform.security.Caller;
import labops.schemas.auth.Scopes;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who may use a FHIR base: a token of that tenant (another tenant's base does not exist for it), of that environment
 * (a sandbox credential never submits production data), with {@code orders.write}. Checked before the body is read;
 * the CapabilityStatement is open, as FHIR clients read it before they authenticate.
 */
@Interceptor
final class FhirAccess {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA) {
            return;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Jwt)) {
            throw new AuthenticationException("a bearer token from Lab Ops' token endpoint is required");
        }
        Caller caller = Caller.of(authentication);
        var base = TenantAndEnvironment.Base.of(request);
        if (!caller.labOpsWide() && !caller.tenantId().equals(base.tenantId())) {
            throw new ResourceNotFoundException("no such FHIR base");
        }
        if (!caller.scopes().contains(Scopes.ORDERS_WRITE)) {
            throw new ForbiddenOperationException("this token lacks the scope " + Scopes.ORDERS_WRITE);
        }
        if (caller.environment() != null && !caller.environment().equals(base.environment())) {
            throw new ForbiddenOperationException("this credential belongs to the " + caller.environment()
                    + " environment");
        }
    }
}
