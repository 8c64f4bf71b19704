package labops.ingress.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import labops.ingress.intake.MessageBodyFilter;
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

    private final int maxBytes;

    FhirAccess(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Who sends, then what is sent: a POST's caller is admitted first (so what it sent may be kept for it), then the
     * body must be FHIR and not too large, checked before HAPI reads a byte of it.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean readable(RequestDetails request) {
        if (request.getRequestType() != RequestTypeEnum.POST) {
            return true;
        }
        admit(request);
        String type = request.getHeader("Content-Type");
        if (type == null || EncodingEnum.forContentType(type.split(";")[0].trim()) == null) {
            throw new UnsupportedMediaType("Content-Type " + type + " is not FHIR: send application/fhir+json or "
                    + "application/fhir+xml");
        }
        if (((ServletRequestDetails) request).getServletRequest().getAttribute(MessageBodyFilter.TOO_LARGE) != null) {
            throw new PayloadTooLargeException(MessageBodyFilter.overLimit(maxBytes) + ": not stored; split the Bundle");
        }
        return true;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.METADATA && !request.getUserData().containsKey(FhirRefusals.ADMITTED)) {
            admit(request);
        }
    }

    /** Admits the request's caller to its base (marking it so) or throws the refusal. */
    static void admit(RequestDetails request) {
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
        request.getUserData().put(FhirRefusals.ADMITTED, Boolean.TRUE);
    }

    /** 415: the body is not in a format this endpoint reads. */
    static final class UnsupportedMediaType extends BaseServerResponseException {

        UnsupportedMediaType(String message) {
            super(415, message);
        }
    }
}
