package labops.delivery.destination;

import java.util.List;
import java.util.UUID;

/** Where a tenant environment's results go, and the secrets currently valid for signing. */
public record ResultDestination(UUID id, String tenantId, String environment, String url, List<Secret> secrets) {

    public record Secret(UUID id, String secret) {
    }
}
