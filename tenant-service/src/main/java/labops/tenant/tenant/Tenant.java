package labops.tenant.tenant;

import java.time.Instant;

/** A hospital client of Lab Ops. */
public record Tenant(String id, String name, boolean suspended, Instant createdAt, Instant updatedAt) {
}
