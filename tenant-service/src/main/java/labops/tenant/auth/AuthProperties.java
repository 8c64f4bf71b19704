package labops.tenant.auth;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The token issuer's settings.
 *
 * @param accessTokenTtl lifetime of every access token; at most 5 minutes, so a lost token is short-lived
 * @param console        the console's OIDC client (authorization code + PKCE)
 * @param serviceClients Lab Ops services' own client ids (letters and digits, e.g. {@code ingress}) and secrets
 *                       (client_credentials, scope secrets.read only); hashed in memory at start-up
 * @param bootstrapAdmin the first Lab Ops admin, created when no Lab Ops admin exists yet (blank: none)
 * @param mllpPorts      range MLLP endpoint ports are allocated from, e.g. {@code 20000-20999}
 * @param publicUrls     where hospitals and people reach Lab Ops, for the integration page
 * @param signingKeyOverlap how long a replaced token-signing key stays in the JWKS: longer than any token it signed
 *                       lives (access tokens 5 minutes, ID tokens 30)
 */
@ConfigurationProperties("labops.tenant.auth")
public record AuthProperties(
        @DefaultValue("5m") Duration accessTokenTtl,
        @DefaultValue Console console,
        Map<String, String> serviceClients,
        @DefaultValue BootstrapAdmin bootstrapAdmin,
        @DefaultValue("20000-20999") String mllpPorts,
        @DefaultValue PublicUrls publicUrls,
        @DefaultValue("1h") Duration signingKeyOverlap) {

    static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofMinutes(5);

    public AuthProperties {
        if (accessTokenTtl.compareTo(MAX_ACCESS_TOKEN_TTL) > 0) {
            throw new IllegalArgumentException("labops.tenant.auth.access-token-ttl must be at most 5 minutes");
        }
        serviceClients = serviceClients == null ? Map.of() : Map.copyOf(serviceClients);
    }

    /**
     * @param clientId     the console's client id
     * @param clientSecret its secret (blank: the console client is not registered)
     * @param redirectUris where the console receives authorization codes
     * @param logoutUri    where the console wants people sent after signing out
     */
    public record Console(@DefaultValue("labops-console") String clientId, String clientSecret,
                          @DefaultValue("http://127.0.0.1:8100/login/oauth2/code/labops") List<String> redirectUris,
                          @DefaultValue("http://127.0.0.1:8100/") String logoutUri) {
    }

    /** @param username user name; @param password initial password */
    public record BootstrapAdmin(String username, String password) {
    }

    /**
     * @param ingress  base URL of ingress-service's HTTP intake
     * @param mllpHost host name hospitals connect MLLP to
     * @param console  base URL of the console (SMART launch and redirect URLs live there)
     * @param issuer   this issuer as hospitals reach it (token endpoint, JWKS)
     * @param audit    base URL of audit-service (where a sender reads what became of a message)
     * @param workflow base URL of workflow-service (where a lab downloads its orders and results)
     */
    public record PublicUrls(@DefaultValue("http://127.0.0.1:8102") String ingress,
                             @DefaultValue("127.0.0.1") String mllpHost,
                             @DefaultValue("http://127.0.0.1:8100") String console,
                             @DefaultValue("http://127.0.0.1:8101") String issuer,
                             @DefaultValue("http://127.0.0.1:8105") String audit,
                             @DefaultValue("http://127.0.0.1:8104") String workflow) {
    }

    /** The MLLP port range as two numbers. */
    public int[] mllpPortRange() {
        String[] parts = mllpPorts.split("-");
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }
}
