package labops.platform.audit;

import java.time.Instant;

/**
 * A decision a service took that the audit log must show (a task created, a delivery attempted).
 * Ids, outcome and a reason only: never clinical content or patient details.
 *
 * @param action    what was done, e.g. {@code task.created}, {@code delivery.attempted}
 * @param outcome   {@code success} or {@code failure}
 * @param tenantId  tenant
 * @param messageId the raw message id the decision traces back to, when known
 * @param eventId   the canonical event it concerns, when any
 * @param detail    a short reason or reference (status code, task id), no PHI
 * @param actor     the service that decided, or the person who made a configuration change
 */
public record AuditDecision(String action, String outcome, String tenantId, String environment, String messageId,
                            String eventId, String detail, String actor, Instant occurredAt) {

    public static final String SUCCESS = "success";
    /** The tenant id of decisions that concern no one tenant (sign-in locks of Lab Ops staff, key rotations). */
    public static final String LAB_OPS = "-labops";
    public static final String FAILURE = "failure";

    /**
     * A change a person or service made to a tenant's configuration (a credential created, a secret rotated, a tenant
     * suspended). {@code actor} is who made it; {@code detail} says what changed and never holds a secret.
     */
    public static AuditDecision change(String action, String tenantId, String environment, String actor, String detail) {
        return new AuditDecision(action, SUCCESS, tenantId, environment, null, null, detail, actor, Instant.now());
    }
}
