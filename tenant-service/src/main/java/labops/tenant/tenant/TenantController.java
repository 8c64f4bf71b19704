package labops.tenant.tenant;

import labops.platform.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.tenant.config.Changes;
import labops.tenant.connection.ConnectionRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tenants")
@Tag(name = "Tenants", description = "Hospital clients, each with a sandbox and a production environment")
class TenantController {

    private final TenantRepository tenants;
    private final ConnectionRepository connections;
    private final Changes changes;

    TenantController(TenantRepository tenants, ConnectionRepository connections, Changes changes) {
        this.tenants = tenants;
        this.connections = connections;
        this.changes = changes;
    }

    record CreateTenant(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}",
                    message = "must be 2-63 lower-case letters, digits or hyphens, starting with a letter or digit") String id,
            @NotBlank @Size(max = 200) String name) {
    }

    record RenameTenant(@NotBlank @Size(max = 200) String name) {
    }

    @GetMapping
    @Operation(summary = "The tenants the caller may see: all for Lab Ops admins and ops, their own for tenant admins")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.DEAD_LETTERS})
    List<Tenant> list(Caller caller) {
        return caller.labOpsWide() ? tenants.all() : tenants.find(caller.tenantId()).stream().toList();
    }

    @PostMapping
    @Operation(summary = "Create a tenant with both environments and all three directions (sandbox active)")
    @RequiresScope(Scopes.TENANTS_MANAGE)
    ResponseEntity<Tenant> create(Caller caller, @Valid @RequestBody CreateTenant request) {
        if (tenants.exists(request.id())) {
            throw Problems.of(HttpStatus.CONFLICT, "a tenant with id " + request.id() + " exists");
        }
        Tenant created = changes.apply(caller.subject(), request.id(), null, "tenant.created", () -> {
            tenants.create(request.id(), request.name());
            connections.createAll(request.id(), caller.subject());
            return tenants.find(request.id()).orElseThrow();
        }, t -> "tenant " + t.id() + " created with sandbox and production");
        return ResponseEntity.created(URI.create("/api/tenants/" + created.id())).body(created);
    }

    @GetMapping("/{tenantId}")
    @RequiresScope(Scopes.TENANT_ADMIN)
    Tenant get(@PathVariable String tenantId) {
        return find(tenantId);
    }

    @PatchMapping("/{tenantId}")
    @Operation(summary = "Rename a tenant")
    @RequiresScope(Scopes.TENANT_ADMIN)
    Tenant rename(Caller caller, @PathVariable String tenantId, @Valid @RequestBody RenameTenant request) {
        find(tenantId);
        return changes.apply(caller.subject(), tenantId, null, "tenant.renamed", () -> {
            tenants.rename(tenantId, request.name());
            return find(tenantId);
        }, t -> "renamed");
    }

    @PostMapping("/{tenantId}/suspend")
    @Operation(summary = "Suspend: every service refuses the tenant's intake and holds its deliveries within seconds")
    @RequiresScope(Scopes.TENANTS_MANAGE)
    Tenant suspend(Caller caller, @PathVariable String tenantId) {
        return setSuspended(caller, tenantId, true);
    }

    @PostMapping("/{tenantId}/resume")
    @Operation(summary = "Resume a suspended tenant")
    @RequiresScope(Scopes.TENANTS_MANAGE)
    Tenant resume(Caller caller, @PathVariable String tenantId) {
        return setSuspended(caller, tenantId, false);
    }

    private Tenant setSuspended(Caller caller, String tenantId, boolean suspended) {
        find(tenantId);
        return changes.apply(caller.subject(), tenantId, null, suspended ? "tenant.suspended" : "tenant.resumed", () -> {
            tenants.setSuspended(tenantId, suspended);
            return find(tenantId);
        }, t -> suspended ? "intake and deliveries stopped" : "intake and deliveries resumed");
    }

    private Tenant find(String tenantId) {
        return tenants.require(tenantId);
    }
}
