package labops.tenant.user;

import java.time.Instant;
import java.util.UUID;
import labops.schemas.auth.Role;

/** A person who signs in to the console. {@code tenantId} is null for Lab Ops admins and ops. */
public record AppUser(UUID id, String username, String displayName, Role role, String tenantId, Instant createdAt,
                      String createdBy, Instant disabledAt) {
}
