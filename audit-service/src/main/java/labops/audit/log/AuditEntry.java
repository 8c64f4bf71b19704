package labops.audit.log;

import java.time.Instant;
import java.util.UUID;

/** One line of the audit log. */
public record AuditEntry(long seq, UUID id, String tenantId, String environment, String action, String outcome,
                         String messageId, String eventId, String detail, String actor, Instant occurredAt,
                         Instant recordedAt, String previousHash, String hash) {
}
