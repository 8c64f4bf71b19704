package labops.tenant.connection;

import java.util.List;
import java.util.UUID;

/** An MLLP listener Lab Ops runs for one tenant environment: hospital orders in, or lab results in. */
public record MllpEndpoint(UUID id, String tenantId, String environment, String purpose, int port,
                           List<String> allowedSources) {
}
