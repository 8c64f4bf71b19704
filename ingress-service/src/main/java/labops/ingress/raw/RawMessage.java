package labops.ingress.raw;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A message as received, with what ingress knows about it. {@code payload} is never altered. {@code extraHeaders}
 * carry what a channel adds to the header contract (an import row's batch and number).
 */
public record RawMessage(UUID messageId, String tenantId, String environment, String channel, String contentType,
                         Instant receivedAt, String idempotencyKey, String senderAddress, String credentialId,
                         byte[] payload, Map<String, String> extraHeaders) {

    /** A message with the header contract only. */
    public RawMessage(UUID messageId, String tenantId, String environment, String channel, String contentType,
                      Instant receivedAt, String idempotencyKey, String senderAddress, String credentialId,
                      byte[] payload) {
        this(messageId, tenantId, environment, channel, contentType, receivedAt, idempotencyKey, senderAddress,
                credentialId, payload, Map.of());
    }
}
