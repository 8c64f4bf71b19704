package labops.ingress.endpoint;

import java.util.List;
import java.util.UUID;
import labops.schemas.Hl7MessageTypes;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * An MLLP listener as the tenant directory describes it, with its owner.
 *
 * @param allowedSources CIDR blocks (or single addresses) allowed to connect; empty admits any source
 * @param tls            the listener speaks TLS only
 * @param acceptedTypes  the message types the tenant narrowed it to; empty takes every type of its purpose
 */
public record MllpEndpoint(UUID id, String tenantId, String environment, String purpose, int port,
                           List<String> allowedSources, boolean tls, List<String> acceptedTypes) {

    /** The message types a sender may send here. */
    public List<String> accepts() {
        return acceptedTypes.isEmpty() ? Hl7MessageTypes.ACCEPTED.getOrDefault(purpose, List.of()) : acceptedTypes;
    }

    /** True when the sender's address may use this endpoint. */
    public boolean admits(String sourceIp) {
        return allowedSources == null || allowedSources.isEmpty()
                || allowedSources.stream().anyMatch(cidr -> new IpAddressMatcher(cidr).matches(sourceIp));
    }
}
