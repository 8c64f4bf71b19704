package labops.ingress.hl7;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Who sent a message and through what, as the channel established it before the message is read: an MLLP port's
 * endpoint, or an HTTP request's token.
 *
 * @param purpose      {@code orders} or {@code results}
 * @param accepts      the message types accepted: the purpose's, or fewer where the tenant narrowed the endpoint
 * @param channel      {@code mllp} or {@code http-hl7}
 * @param credentialId the endpoint id (MLLP) or the API client id (HTTP) that let the sender in
 */
public record Intake(String tenantId, String environment, String purpose, List<String> accepts, String channel,
                     String credentialId, InetSocketAddress sender) {
}
