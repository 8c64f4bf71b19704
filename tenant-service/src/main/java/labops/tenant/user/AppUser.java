package labops.tenant.user;

import java.time.Instant;
import java.util.UUID;
import labops.schemas.auth.Role;

/**
 * A person who signs in to the console. {@code tenantId} is null for Lab Ops admins and ops.
 *
 * @param accessChangedAt when they were created, last given another role or disabled: tokens issued before it are
 *                        refused everywhere
 */
public record AppUser(UUID id, String username, String displayName, Role role, String tenantId, Instant createdAt,
                      String createdBy, Instant disabledAt, Instant accessChangedAt) {

    /** A new person: their access starts when they are created. */
    public static AppUser created(String username, String displayName, Role role, String tenantId, String createdBy) {
        Instant now = Instant.now();
        return new AppUser(UUID.randomUUID(), username, displayName, role, tenantId, now, createdBy, null, now);
    }
}
