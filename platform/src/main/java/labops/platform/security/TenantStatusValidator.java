package labops.platform.security;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import labops.platform.tenant.TenantConfiguration;
import labops.platform.tenant.TenantDirectory;
import labops.schemas.auth.TokenClaims;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Refuses a still-unexpired token whose holder lost its right since it was issued: an API client whose credential
 * was revoked or whose tenant was suspended; a person of a tenant that no longer exists, who was disabled, or whose
 * role changed since the token was issued. Reads the in-memory tenant directory, so the refusal starts as soon as the
 * change reached this instance (within a second or two of the change); fails closed until the directory is loaded.
 */
public class TenantStatusValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2Error REVOKED = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "the credential was revoked or its tenant suspended", null);
    private static final OAuth2Error ACCESS_CHANGED = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "the person's access changed since this token was issued (disabled, or another role): sign in again",
            null);
    private static final OAuth2Error UNKNOWN_TENANT = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "the token's tenant is not known here", null);

    private final TenantDirectory directory;

    public TenantStatusValidator(TenantDirectory directory) {
        this.directory = directory;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String tenant = token.getClaimAsString(TokenClaims.TENANT);
        if (tenant == null) {
            return OAuth2TokenValidatorResult.success();
        }
        if ("client".equals(token.getClaimAsString(TokenClaims.KIND))) {
            String environment = token.getClaimAsString(TokenClaims.ENVIRONMENT);
            return directory.isClientActive(tenant, environment, token.getSubject())
                    ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(REVOKED);
        }
        var configuration = directory.find(tenant);
        if (configuration.isEmpty()) {
            return OAuth2TokenValidatorResult.failure(UNKNOWN_TENANT);
        }
        if ("person".equals(token.getClaimAsString(TokenClaims.KIND)) && configuration.get().people() != null
                && !stillValid(token, configuration.get().person(token.getSubject()))) {
            return OAuth2TokenValidatorResult.failure(ACCESS_CHANGED);
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static boolean stillValid(Jwt token, Optional<TenantConfiguration.Person> person) {
        if (person.isEmpty() || token.getIssuedAt() == null) {
            return false;
        }
        List<String> roles = token.getClaimAsStringList(TokenClaims.ROLES);
        // iat has whole seconds: a token issued in the second of the change, after it, must still count.
        return roles != null && roles.equals(List.of(person.get().role()))
                && !token.getIssuedAt().isBefore(person.get().accessSince().truncatedTo(ChronoUnit.SECONDS));
    }
}
