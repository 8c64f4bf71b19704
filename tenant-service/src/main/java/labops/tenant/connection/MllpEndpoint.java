package labops.tenant.connection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An MLLP listener Lab Ops runs for one tenant environment: hospital orders in, or lab results in.
 *
 * @param allowedSources CIDR blocks allowed to connect; empty admits any source
 * @param acceptedTypes  the message types it takes; empty takes every type of its purpose
 */
public record MllpEndpoint(UUID id, String tenantId, String environment, String purpose, int port,
                           List<String> allowedSources, boolean tls, List<String> acceptedTypes, Instant createdAt,
                           String createdBy) {
}
