package labops.tenant.golive;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.platform.web.Problems;
import labops.tenant.config.Changes;
import labops.tenant.connection.ConnectionRepository;
import labops.tenant.connection.Direction;
import labops.tenant.connection.Environments;
import labops.tenant.tenant.TenantRepository;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Moving a direction to production: the tenant admin and Lab Ops confirm each checklist item (who, when, a note); a
 * Lab Ops admin activates once every item is confirmed, the direction has worked in sandbox and production is
 * configured. Ingress and delivery refuse production traffic of a direction until then.
 */
@RestController
@RequestMapping("/api/tenants/{tenantId}/go-live/{direction}")
@RequiresScope(Scopes.TENANT_ADMIN)
@Tag(name = "Go-live", description = "Production checklist and activation, per direction")
class GoLiveController {

    private final GoLiveRepository goLive;
    private final ConnectionRepository connections;
    private final GoLiveReadiness readiness;
    private final TenantRepository tenants;
    private final Changes changes;

    GoLiveController(GoLiveRepository goLive, ConnectionRepository connections, GoLiveReadiness readiness,
                     TenantRepository tenants, Changes changes) {
        this.goLive = goLive;
        this.connections = connections;
        this.readiness = readiness;
        this.tenants = tenants;
        this.changes = changes;
    }

    /** @param note what was agreed, or the person named (e.g. the error-handling contact) */
    record Confirm(@NotBlank @Size(max = 500) String note) {
    }

    @PutMapping("/items/{item}")
    @Operation(summary = "Confirm a checklist item, recording who and when")
    List<GoLiveRepository.Completed> confirm(Caller caller, @PathVariable String tenantId, @PathVariable String direction,
                                             @PathVariable String item, @Valid @RequestBody Confirm request) {
        Direction parsed = check(tenantId, direction);
        GoLiveItem confirmed = GoLiveItem.of(item);
        changes.apply(caller.subject(), tenantId, Environments.PRODUCTION, "go-live.item-confirmed", () -> {
            goLive.complete(tenantId, parsed, confirmed, request.note(), caller.subject());
            return confirmed;
        }, i -> parsed.id() + ": " + i.title());
        return goLive.completed(tenantId, parsed);
    }

    @DeleteMapping("/items/{item}")
    @Operation(summary = "Reopen a checklist item")
    List<GoLiveRepository.Completed> reopen(Caller caller, @PathVariable String tenantId, @PathVariable String direction,
                                            @PathVariable String item) {
        Direction parsed = check(tenantId, direction);
        GoLiveItem reopened = GoLiveItem.of(item);
        changes.apply(caller.subject(), tenantId, Environments.PRODUCTION, "go-live.item-reopened", () -> {
            goLive.reopen(tenantId, parsed, reopened);
            return reopened;
        }, i -> parsed.id() + ": " + i.title());
        return goLive.completed(tenantId, parsed);
    }

    @PostMapping("/activate")
    @RequiresScope(Scopes.TENANTS_MANAGE)
    @Operation(summary = "Lab Ops admins: activate the production connection of this direction, or approve a change "
            + "of its address after go-live")
    ConnectionRepository.Connection activate(Caller caller, @PathVariable String tenantId, @PathVariable String direction) {
        Direction parsed = check(tenantId, direction);
        var production = connections.connection(tenantId, Environments.PRODUCTION, parsed);
        if (production.active()) {
            throw Problems.of(HttpStatus.CONFLICT, "production " + parsed.id() + " is already live");
        }
        List<String> missing = readiness.missing(tenantId, parsed);
        if (!missing.isEmpty()) {
            throw Problems.of(HttpStatus.CONFLICT, "production " + parsed.id() + " cannot go live yet: "
                    + String.join("; ", missing));
        }
        changes.apply(caller.subject(), tenantId, Environments.PRODUCTION, "connection.activated", () -> {
            connections.activate(tenantId, Environments.PRODUCTION, parsed, caller.subject());
            return parsed;
        }, d -> production.activatedAt() == null ? "production " + d.id() + " is live"
                : "production " + d.id() + ": address change approved; live again");
        return connections.connection(tenantId, Environments.PRODUCTION, parsed);
    }

    private Direction check(String tenantId, String direction) {
        tenants.require(tenantId);
        return Direction.of(direction);
    }
}
