package labops.ingress.raw;

import java.time.Instant;
import java.util.UUID;

/**
 * A message as received, with what ingress knows about it. {@code payload} is never altered.
 */
public record RawMessage(UUID messageId, String tenantId, String environment, String channel, String contentType,
                         Instant receivedAt, String idempotencyKey, String senderAddress, String credentialId,
                         byte[] payload) {
}
