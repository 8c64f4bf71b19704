package labops.ingress.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.UUID;
import labops.ingress.intake.RawIntake;
import labops.ingress.raw.RawMessage;
import labops.platform.security.Caller;
import labops.schemas.topic.Topics;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Every refusal is kept where ops and the sender's tenant see it, whatever refused it: a request from an admitted
 * caller (unparseable, unknown type, not FHIR, oversize, a Bundle this endpoint does not take) is kept on the FHIR
 * dead-letter topic with the reason, so it is in the audit trail and its fate can be read; a caller turned away at
 * the door (no token, a bad one, another tenant's, the wrong environment) leaves an access refusal in the audit trail
 * of the tenant it aimed at. A 503 keeps nothing: nothing was wrong with the request.
 */
@Interceptor
final class FhirRefusals {

    /** Set on a request once {@link FhirAccess} admitted its caller. */
    static final String ADMITTED = "labops.admitted";
    /** Set on a request whose refusal {@link FhirIntake} already kept. */
    static final String KEPT = "labops.kept";

    private final RawIntake intake;

    FhirRefusals(RawIntake intake) {
        this.intake = intake;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean refused(RequestDetails request, HttpServletRequest servlet, BaseServerResponseException problem) {
        int status = problem.getStatusCode();
        if (status >= 500 || request.getUserData().containsKey(KEPT) || request.getTenantId() == null) {
            return true;
        }
        var base = TenantAndEnvironment.Base.of(request);
        String reason = status + " " + problem.getMessage();
        if (!request.getUserData().containsKey(ADMITTED)) {
            // HAPI refuses some requests (an unknown resource type) before the access hooks run: admit the caller now.
            try {
                FhirAccess.admit(request);
            } catch (BaseServerResponseException turnedAway) {
                intake.accessRefused(FhirIntake.CHANNEL, base.tenantId(), base.environment(), servlet.getRemoteAddr(),
                        reason);
                return true;
            }
        }
        // An oversize body was never read and is not read now: the reason says what came.
        byte[] payload = problem instanceof PayloadTooLargeException ? new byte[0] : request.loadRequestContents();
        UUID id = UUID.randomUUID();
        intake.refuse(new RawMessage(id, base.tenantId(), base.environment(), FhirIntake.CHANNEL,
                request.getHeader("Content-Type"), Instant.now(), null, servlet.getRemoteAddr(),
                Caller.of(SecurityContextHolder.getContext().getAuthentication()).subject(), payload),
                Topics.RAW_FHIR, reason);
        return true;
    }

    /** For the Spring Security entry point, where a bad token is refused before HAPI sees the request. */
    static void badToken(RawIntake intake, HttpServletRequest request, String reason) {
        String[] path = request.getRequestURI().replaceFirst("^.*?/fhir/", "").split("/");
        if (path.length >= 2) {
            intake.accessRefused(FhirIntake.CHANNEL, path[0], path[1], request.getRemoteAddr(), "401 " + reason);
        }
    }
}
