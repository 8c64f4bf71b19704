package labops.ingress.intake;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import labops.ingress.duplicate.WebhookIds;
import labops.ingress.endpoint.IntakePolicy;
import labops.platform.tenant.SigningSecretVault;
import labops.platform.webhook.StandardWebhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Standard Webhooks signatures on every HTTP channel of a tenant environment whose connection says pushes must be
 * signed (HL7 over HTTP, FHIR, REST): each channel asks {@link #check} before it reads the message, answers a refusal
 * with 401 in its own protocol (keeping the message like any refusal) and calls {@link #stored} once the message is
 * stored, which is when its webhook id starts to count as received.
 */
@Component
public class SignedPushes {

    private static final Logger log = LoggerFactory.getLogger(SignedPushes.class);
    private static final String UNAVAILABLE = "signatures cannot be verified right now; resend later";

    /**
     * What the check found: why the push is refused; or that it cannot be checked now (nothing to do but resend);
     * or, when it verified, the sender and webhook id to remember once the message is stored (both null when no
     * signature is required).
     */
    public record Check(String refusal, String unavailable, String sender, String webhookId) {

        public static final Check NOT_REQUIRED = new Check(null, null, null, null);

        static Check refused(String reason) {
            return new Check(reason, null, null, null);
        }
    }

    private final IntakePolicy policy;
    private final ObjectProvider<SigningSecretVault> vault;
    private final WebhookIds webhookIds;

    SignedPushes(IntakePolicy policy, ObjectProvider<SigningSecretVault> vault, WebhookIds webhookIds) {
        this.policy = policy;
        this.vault = vault;
        this.webhookIds = webhookIds;
    }

    /** Whether a push of {@code body} to this tenant environment must be signed, and if so whether it verifies and is new. */
    public Check check(String tenantId, String environment, byte[] body, UnaryOperator<String> headers) {
        var receive = policy.receiveOrders(tenantId, environment);
        if (receive.isEmpty() || !receive.get().signatureRequired()) {
            return Check.NOT_REQUIRED;
        }
        SigningSecretVault secrets = vault.getIfAvailable();
        if (secrets == null) {
            return Check.refused("this endpoint requires signed requests, and this Lab Ops instance cannot verify "
                    + "signatures");
        }
        String sender = tenantId + "/" + environment;
        String id = headers.apply(StandardWebhooks.ID);
        try {
            List<String> valid = secrets.secrets(tenantId, environment, "receive-orders",
                    receive.get().signingSecretIds());
            var refusal = StandardWebhooks.verify(id, headers.apply(StandardWebhooks.TIMESTAMP),
                    headers.apply(StandardWebhooks.SIGNATURE), body, valid, Instant.now());
            if (refusal != null) {
                return Check.refused(refusal.reason());
            }
            return webhookIds.seen(sender, id) ? Check.refused(StandardWebhooks.Refusal.REPLAYED.reason())
                    : new Check(null, null, sender, id);
        } catch (RuntimeException e) {
            // The secrets (tenant-service) or the received ids (PostgreSQL) cannot be read: an outage, not a refusal.
            log.warn("event=signature-check-unavailable tenant={} reason={}", tenantId, e.getClass().getSimpleName());
            return new Check(null, UNAVAILABLE, null, null);
        }
    }

    /** The checked push's message is stored: from now on its webhook id is a replay, on every ingress instance. */
    public void stored(Check check) {
        if (check.webhookId() != null) {
            webhookIds.stored(check.sender(), check.webhookId());
        }
    }
}
