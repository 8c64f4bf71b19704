package labops.delivery.destination;

import java.util.List;
import java.util.UUID;

/** Where a tenant environment's results go, and the signing secrets valid now (two during a rotation overlap). */
public record ResultDestination(UUID id, String tenantId, String environment, String url, List<String> secrets) {
}
