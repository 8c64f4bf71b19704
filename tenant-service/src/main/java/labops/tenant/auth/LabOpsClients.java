package labops.tenant.auth;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import labops.schemas.auth.Scopes;
import labops.tenant.credential.ApiCredential;
import labops.tenant.credential.CredentialRepository;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Every client the issuer knows: hospital API credentials from the database (read on each token request, so a
 * revocation or an ended overlap takes effect at once), Lab Ops services and the console from configuration.
 */
final class LabOpsClients implements RegisteredClientRepository {

    static final String SERVICE_PREFIX = "service:";
    static final String CONSOLE_ID = "console";

    private final CredentialRepository credentials;
    private final Map<String, RegisteredClient> configured;
    private final TokenSettings tokens;

    LabOpsClients(CredentialRepository credentials, AuthProperties properties, PasswordEncoder hashes) {
        this.credentials = credentials;
        this.tokens = TokenSettings.builder().accessTokenTimeToLive(properties.accessTokenTtl())
                .refreshTokenTimeToLive(java.time.Duration.ofHours(8)).reuseRefreshTokens(false).build();
        var clients = properties.serviceClients().entrySet().stream()
                .map(e -> RegisteredClient.withId(SERVICE_PREFIX + e.getKey())
                        .clientId(e.getKey())
                        .clientSecret(AnyOfPasswordEncoder.of(List.of(hashes.encode(e.getValue()))))
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .scope(Scopes.SECRETS_READ)
                        .tokenSettings(tokens)
                        .build())
                .collect(Collectors.toMap(RegisteredClient::getClientId, c -> c));
        var console = properties.console();
        if (console.clientSecret() != null && !console.clientSecret().isBlank()) {
            clients.put(console.clientId(), RegisteredClient.withId(CONSOLE_ID)
                    .clientId(console.clientId())
                    .clientSecret(AnyOfPasswordEncoder.of(List.of(hashes.encode(console.clientSecret()))))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .redirectUris(uris -> uris.addAll(console.redirectUris()))
                    .postLogoutRedirectUri(console.logoutUri())
                    .scope(OidcScopes.OPENID)
                    .scope(OidcScopes.PROFILE)
                    .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                    .tokenSettings(tokens)
                    .build());
        }
        this.configured = Map.copyOf(clients);
    }

    /**
     * Declined: the issuer calls this to re-hash a secret stored in an older format ({@code any-of} looks like one to
     * it); hashes are only written by the credential API.
     */
    @Override
    public void save(RegisteredClient registeredClient) {
    }

    @Override
    public RegisteredClient findById(String id) {
        var fromConfig = configured.values().stream().filter(c -> c.getId().equals(id)).findFirst();
        if (fromConfig.isPresent()) {
            return fromConfig.get();
        }
        try {
            return credentials.byId(UUID.fromString(id)).map(this::client).orElse(null);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        RegisteredClient fromConfig = configured.get(clientId);
        return fromConfig != null ? fromConfig : credentials.byClientId(clientId).map(this::client).orElse(null);
    }

    /** True for the console and Lab Ops services, false for hospital API credentials. */
    static boolean isService(RegisteredClient client) {
        return client.getId().startsWith(SERVICE_PREFIX);
    }

    private RegisteredClient client(ApiCredential credential) {
        List<String> hashes = credentials.validSecretHashes(credential.id());
        if (hashes.isEmpty()) {
            // Revoked, or every secret's overlap ended: the client can no longer authenticate.
            return null;
        }
        return RegisteredClient.withId(credential.id().toString())
                .clientId(credential.clientId())
                .clientName(credential.name())
                .clientIdIssuedAt(credential.createdAt())
                .clientSecret(AnyOfPasswordEncoder.of(hashes))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(credential.scopes()))
                .tokenSettings(tokens)
                .build();
    }
}
