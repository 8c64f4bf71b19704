package labops.platform.outbound;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Lab Ops may call although the address is internal.
 *
 * @param allowed addresses the outbound policy admits despite being loopback, private, link-local or otherwise
 *                internal: an IP address or CIDR block, optionally with a port ({@code 127.0.0.1:8200},
 *                {@code 10.20.0.0/16}, {@code [::1]:8300}). Empty by default, which is right for production: a
 *                hospital's endpoint is reached over public addresses (or a VPN the deployment names here). The
 *                local stack names its demo result receiver and demo FHIR server only.
 */
@ConfigurationProperties("labops.outbound")
public record OutboundProperties(@DefaultValue List<String> allowed) {
}
