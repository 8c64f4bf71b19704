package labops.tenant.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Role;
import labops.schemas.auth.Scopes;
import labops.platform.web.Problems;
import labops.tenant.config.Changes;
import labops.tenant.tenant.TenantRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** People of one tenant: its admins and lab staff, who sign in to the console. */
@RestController
@RequestMapping("/api/tenants/{tenantId}/users")
@RequiresScope(Scopes.TENANT_ADMIN)
@Tag(name = "Users", description = "A tenant's admins and lab staff")
class UserController {

    private final UserRepository users;
    private final TenantRepository tenants;
    private final PasswordEncoder hashes;
    private final Changes changes;

    UserController(UserRepository users, TenantRepository tenants, PasswordEncoder hashes, Changes changes) {
        this.users = users;
        this.tenants = tenants;
        this.hashes = hashes;
        this.changes = changes;
    }

    record NewUser(@NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{3,64}",
                           message = "must be 3-64 letters, digits or . _ @ -") String username,
                   @NotBlank @Size(max = 200) String displayName,
                   @NotBlank @Pattern(regexp = "tenant-admin|lab-staff|lab-reviewer", message = "must be tenant-admin, lab-staff or lab-reviewer")
                   String role,
                   @NotBlank @Size(min = 12, max = 200, message = "must be 12 to 200 characters") String password) {
    }

    @GetMapping
    List<AppUser> list(@PathVariable String tenantId) {
        check(tenantId);
        return users.byTenant(tenantId);
    }

    @PostMapping
    @Operation(summary = "Add a tenant admin or lab staff member with an initial password")
    ResponseEntity<AppUser> create(Caller caller, @PathVariable String tenantId, @Valid @RequestBody NewUser request) {
        check(tenantId);
        var user = AppUser.created(request.username(), request.displayName(), Role.of(request.role()), tenantId,
                caller.subject());
        changes.apply(caller.subject(), tenantId, null, "user.created", () -> {
            if (!users.create(user, hashes.encode(request.password()))) {
                throw Problems.of(HttpStatus.CONFLICT, "username: " + request.username() + " is taken");
            }
            return user;
        }, u -> u.role().id() + " " + u.username() + " added");
        return ResponseEntity.created(URI.create("/api/tenants/" + tenantId + "/users/" + user.id())).body(user);
    }

    record RoleChange(@NotBlank @Pattern(regexp = "tenant-admin|lab-staff|lab-reviewer", message = "must be tenant-admin, lab-staff or lab-reviewer")
                      String role) {
    }

    @PutMapping("/{userId}/role")
    @Operation(summary = "Give a user another role: their current tokens and console session end within seconds")
    List<AppUser> changeRole(Caller caller, @PathVariable String tenantId, @PathVariable UUID userId,
                             @Valid @RequestBody RoleChange request) {
        check(tenantId);
        Role role = Role.of(request.role());
        changes.apply(caller.subject(), tenantId, null, "user.role-changed", () -> {
            if (!users.changeRole(tenantId, userId, role)) {
                throw Problems.of(HttpStatus.NOT_FOUND, "no active user " + userId + " in this tenant");
            }
            return userId;
        }, id -> "user " + id + " is now " + role.id());
        return users.byTenant(tenantId);
    }

    @PostMapping("/{userId}/disable")
    @Operation(summary = "Disable a user: they can no longer sign in, and their tokens and console session end "
            + "within seconds")
    List<AppUser> disable(Caller caller, @PathVariable String tenantId, @PathVariable UUID userId) {
        check(tenantId);
        changes.apply(caller.subject(), tenantId, null, "user.disabled", () -> {
            if (!users.disable(tenantId, userId)) {
                throw Problems.of(HttpStatus.NOT_FOUND, "no active user " + userId + " in this tenant");
            }
            return userId;
        }, id -> "user " + id + " disabled");
        return users.byTenant(tenantId);
    }

    private void check(String tenantId) {
        tenants.require(tenantId);
    }
}
