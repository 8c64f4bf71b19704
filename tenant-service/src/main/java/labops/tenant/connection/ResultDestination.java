package labops.tenant.connection;

import java.util.List;
import java.util.UUID;

/**
 * Where delivery sends a tenant environment's results, with every signing secret currently valid
 * (two during a rotation overlap; deliveries are signed with each).
 */
public record ResultDestination(UUID id, String tenantId, String environment, String url, List<Secret> secrets) {

    public record Secret(UUID id, String secret) {
    }
}
