package labops.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the console signs people in and which service APIs it calls on their behalf.
 *
 * @param issuer        the OIDC issuer people sign in with (discovered at first sign-in, not at start-up); tenant-service
 *                      by default, another issuer in production if it issues the {@code roles} and {@code tenant} claims
 * @param clientId      the console's client id at the issuer
 * @param clientSecret  its secret
 * @param tenantService tenant-service's API (tenants, connections, credentials, users)
 * @param workflow      workflow-service's API (staff queues)
 * @param normalizer    normalizer-service's API (payload guidance)
 * @param ingress       ingress-service's API (CSV imports awaiting review)
 */
@ConfigurationProperties("labops.console")
public record ConsoleProperties(
        @DefaultValue("http://127.0.0.1:8101") String issuer,
        @DefaultValue("labops-console") String clientId,
        String clientSecret,
        @DefaultValue("http://127.0.0.1:8101") String tenantService,
        @DefaultValue("http://127.0.0.1:8104") String workflow,
        @DefaultValue("http://127.0.0.1:8103") String normalizer,
        @DefaultValue("http://127.0.0.1:8102") String ingress) {
}
