package labops.tenant.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import labops.schemas.auth.Scopes;
import labops.schemas.auth.TokenClaims;
import labops.tenant.credential.CredentialRepository;
import labops.tenant.user.UserRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * What Lab Ops puts in its tokens: who holds it ({@code kind}), the tenant, the environment of an API client, the
 * roles of a person, and scopes. A person's scopes come from their role, not from what the console asked for.
 */
final class TokenContents implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final CredentialRepository credentials;
    private final UserRepository users;
    private final SigningKeys keys;

    TokenContents(CredentialRepository credentials, UserRepository users, SigningKeys keys) {
        this.credentials = credentials;
        this.users = users;
        this.keys = keys;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        // Several keys are published during a rotation: the header names the one that signs.
        context.getJwsHeader().keyId(keys.signingKid());
        var client = context.getRegisteredClient();
        var claims = context.getClaims();
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            if (LabOpsClients.isService(client)) {
                claims.claim(TokenClaims.KIND, "service");
                claims.claim("scope", List.of(Scopes.SECRETS_READ));
                return;
            }
            var credential = credentials.byId(UUID.fromString(client.getId())).orElseThrow(() ->
                    new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT));
            claims.claim(TokenClaims.KIND, "client");
            claims.claim(TokenClaims.TENANT, credential.tenantId());
            claims.claim(TokenClaims.ENVIRONMENT, credential.environment());
            // A client that asks for no scope gets all of its credential's scopes.
            var granted = context.getAuthorizedScopes().isEmpty() ? credential.scopes()
                    : List.copyOf(context.getAuthorizedScopes());
            claims.claim("scope", granted);
            return;
        }
        // Every token of a person is made here, the refresh grant's too: a disabled person gets none, and a person
        // whose role changed gets the new one.
        var user = users.find(context.getPrincipal().getName()).filter(u -> u.disabledAt() == null)
                .orElseThrow(() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.ACCESS_DENIED));
        claims.claim(TokenClaims.KIND, "person");
        // Mutable lists: a person's token is stored with its claims (JdbcOAuth2AuthorizationService), and the stored
        // JSON may name only types Spring Security's Jackson allow-list admits, which the JDK's List.of is not.
        claims.claim(TokenClaims.ROLES, new ArrayList<>(List.of(user.role().id())));
        claims.claim("name", user.displayName());
        if (user.tenantId() != null) {
            claims.claim(TokenClaims.TENANT, user.tenantId());
        }
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            claims.claim("scope", new ArrayList<>(Scopes.BY_ROLE.get(user.role())));
        }
    }
}
