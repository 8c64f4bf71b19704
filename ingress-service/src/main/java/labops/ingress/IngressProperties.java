package labops.ingress;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param tenantServiceUrl base URL of tenant-service, where endpoints are looked up
 * @param endpointRefresh  how often the MLLP endpoint list is re-read (a revoked endpoint stops accepting within this)
 * @param maxMessageBytes  largest MLLP frame accepted; a larger one closes the connection
 */
@ConfigurationProperties("labops.ingress")
public record IngressProperties(
        @DefaultValue("http://127.0.0.1:8101") String tenantServiceUrl,
        @DefaultValue("5s") Duration endpointRefresh,
        @DefaultValue("10485760") int maxMessageBytes) {
}
