package labops.platform.security;

import java.util.List;
import labops.platform.web.Problems;
import labops.schemas.auth.TokenClaims;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;

/**
 * Who is calling, from their validated token. Controllers take it as a parameter and check it against the
 * tenant and environment in the path before touching anything: the services enforce tenancy themselves.
 *
 * @param subject     {@code sub}: a username, an API client id or a service name
 * @param kind        person, client or service
 * @param tenantId    the one tenant the caller belongs to; null for Lab Ops-wide callers
 * @param environment API clients: the one environment they act in; null otherwise
 * @param roles       person roles
 * @param scopes      granted scopes
 */
public record Caller(String subject, Kind kind, String tenantId, String environment, Set<String> roles,
                     Set<String> scopes) {

    public enum Kind { PERSON, CLIENT, SERVICE }

    public static Caller of(Authentication authentication) {
        if (authentication == null || !(authentication.getPrincipal() instanceof Jwt jwt)) {
            throw new ErrorResponseException(HttpStatus.UNAUTHORIZED);
        }
        String kind = jwt.getClaimAsString(TokenClaims.KIND);
        if (kind == null) {
            throw new ErrorResponseException(HttpStatus.UNAUTHORIZED);
        }
        List<String> roles = jwt.getClaimAsStringList(TokenClaims.ROLES);
        Object scope = jwt.getClaim("scope");
        Set<String> scopes = scope instanceof String s ? Set.of(s.split(" "))
                : scope instanceof java.util.Collection<?> c ? Set.copyOf(c.stream().map(Object::toString).toList()) : Set.of();
        return new Caller(jwt.getSubject(), Kind.valueOf(kind.toUpperCase()),
                jwt.getClaimAsString(TokenClaims.TENANT), jwt.getClaimAsString(TokenClaims.ENVIRONMENT),
                roles == null ? Set.of() : Set.copyOf(roles), scopes);
    }

    /** True when the caller acts across tenants (Lab Ops admins, ops, Lab Ops services). */
    public boolean labOpsWide() {
        return tenantId == null;
    }

    /** 403 unless the token carries {@code scope}. */
    public Caller require(String scope) {
        if (!scopes.contains(scope)) {
            throw Problems.of(HttpStatus.FORBIDDEN, "this token lacks the scope " + scope);
        }
        return this;
    }

    /**
     * 404 unless the caller may see {@code tenant}: another tenant's resources do not exist for them, so a
     * token cannot even tell whether a tenant id is taken.
     */
    public Caller forTenant(String tenant) {
        if (!labOpsWide() && !tenantId.equals(tenant)) {
            throw Problems.of(HttpStatus.NOT_FOUND, "no such tenant");
        }
        return this;
    }

    /** 403 when an API client's token is used for the other environment (a sandbox credential on production). */
    public Caller forEnvironment(String environmentName) {
        if (environment != null && !environment.equals(environmentName)) {
            throw Problems.of(HttpStatus.FORBIDDEN, "this credential belongs to the " + environment + " environment");
        }
        return this;
    }

}
