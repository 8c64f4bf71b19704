package labops.ingress;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxMessageBytes largest MLLP frame accepted; a larger one closes the connection
 */
@ConfigurationProperties("labops.ingress")
public record IngressProperties(@DefaultValue("10485760") int maxMessageBytes) {
}
