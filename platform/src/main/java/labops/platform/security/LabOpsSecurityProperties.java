package labops.platform.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service checks tokens and gets its own.
 *
 * @param issuer       tenant-service's issuer URL: tokens must name it in {@code iss}; its JWKS is at {@code /oauth2/jwks}
 * @param clientId     this service's own client id at tenant-service, for calls that need secret values (blank: none)
 * @param clientSecret this service's own client secret
 * @param directoryPoll the longest the tenant directory's consumer waits in one poll when nothing arrives; a change
 *                      (a revocation) is applied as soon as Kafka has it, whatever this is. Each empty poll costs
 *                      its consumer thread a few milliseconds of CPU, so 500 ms cost every service ~1-2% of a core
 *                      doing nothing
 */
@ConfigurationProperties("labops.security")
public record LabOpsSecurityProperties(
        @DefaultValue("http://127.0.0.1:8101") String issuer,
        String clientId,
        String clientSecret,
        @DefaultValue("5s") Duration directoryPoll) {

    public String jwkSetUri() {
        return issuer + "/oauth2/jwks";
    }

    public String tokenUri() {
        return issuer + "/oauth2/token";
    }
}
