package labops.console.security;

import java.util.List;
import labops.schemas.auth.Role;
import labops.schemas.auth.Scopes;
import labops.schemas.auth.TokenClaims;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The person signed in, from their ID token: what the pages need to decide what to show. The services decide what
 * they may do, from the access token, whatever a page shows.
 *
 * @param tenantId their tenant; null for Lab Ops admins and ops
 */
public record ConsoleUser(String username, String name, Role role, String tenantId) {

    public static ConsoleUser of(OidcUser user) {
        List<String> roles = user.getClaimAsStringList(TokenClaims.ROLES);
        String name = user.getClaimAsString("name");
        return new ConsoleUser(user.getSubject(), name == null ? user.getSubject() : name,
                roles == null || roles.isEmpty() ? null : Role.of(roles.get(0)), user.getClaimAsString(TokenClaims.TENANT));
    }

    public boolean labOpsAdmin() {
        return role == Role.LABOPS_ADMIN;
    }

    public boolean ops() {
        return role == Role.OPS;
    }

    /** Manages a tenant's connections: a Lab Ops admin (any tenant) or that tenant's admin. */
    public boolean manages(String tenant) {
        return labOpsAdmin() || (role == Role.TENANT_ADMIN && tenant.equals(tenantId));
    }

    /** May claim, complete and reject tasks (lab staff); others see the queue read-only. */
    public boolean worksTasks() {
        return role != null && Scopes.BY_ROLE.getOrDefault(role, List.of()).contains(Scopes.TASKS_WRITE);
    }

    /** Works in the lab (staff or reviewer): their page is the queue, not the integration. */
    public boolean labStaff() {
        return role == Role.LAB_STAFF || role == Role.LAB_REVIEWER;
    }

    /** The page a person lands on after signing in. */
    public String home() {
        if (tenantId == null) {
            return "/tenants";
        }
        return labStaff() ? "/tenants/" + tenantId + "/tasks" : "/tenants/" + tenantId;
    }
}
