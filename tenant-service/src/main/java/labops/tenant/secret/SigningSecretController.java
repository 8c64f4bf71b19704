package labops.tenant.secret;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.platform.web.Problems;
import labops.tenant.config.Changes;
import labops.tenant.connection.Direction;
import labops.tenant.connection.Environments;
import labops.tenant.tenant.TenantRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Standard Webhooks signing secrets ({@code whsec_...}): inbound on receive-orders (the hospital signs what it pushes,
 * ingress verifies) and outbound on send-results (delivery signs with every valid secret). A new secret is shown once;
 * the previous ones stay valid for the overlap. Lab Ops services read the values with their own token.
 */
@RestController
@RequiresScope(Scopes.TENANT_ADMIN)
@Tag(name = "Signing secrets", description = "Standard Webhooks secrets, inbound and outbound")
class SigningSecretController {

    private final SecretRepository secrets;
    private final TenantRepository tenants;
    private final Changes changes;

    SigningSecretController(SecretRepository secrets, TenantRepository tenants, Changes changes) {
        this.secrets = secrets;
        this.tenants = tenants;
        this.changes = changes;
    }

    /** @param overlap how long earlier secrets stay valid, ISO-8601 ({@code PT24H}); zero ends them now */
    record Rotate(Duration overlap) {
    }

    /** The one answer that contains the secret. */
    record IssuedSigningSecret(String id, String secret, String fingerprint, Instant previousValidUntil) {
    }

    @GetMapping("/api/tenants/{tenantId}/environments/{environment}/connections/{direction}/signing-secrets")
    List<SecretRepository.SecretInfo> list(@PathVariable String tenantId, @PathVariable String environment,
                                           @PathVariable String direction) {
        return secrets.valid(tenantId, Environments.of(environment), signed(tenantId, direction),
                SecretRepository.Kind.SIGNING);
    }

    @PostMapping("/api/tenants/{tenantId}/environments/{environment}/connections/{direction}/signing-secrets")
    @Operation(summary = "Create a signing secret (first one, or a rotation); the answer shows it, once")
    ResponseEntity<IssuedSigningSecret> rotate(Caller caller, @PathVariable String tenantId,
                                               @PathVariable String environment, @PathVariable String direction,
                                               @RequestBody(required = false) Rotate request) {
        Direction signed = signed(tenantId, direction);
        Environments.of(environment);
        Duration overlap = request == null || request.overlap() == null ? Duration.ofHours(24) : request.overlap();
        if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(30)) > 0) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "overlap must be between PT0S and P30D");
        }
        String secret = SecretGenerator.signingSecret();
        var id = changes.apply(caller.subject(), tenantId, environment, "signing-secret.rotated",
                () -> secrets.replace(tenantId, environment, signed, SecretRepository.Kind.SIGNING, secret, overlap,
                        caller.subject()),
                created -> signed.id() + " signing secret " + SecretBox.fingerprint(secret)
                        + " created; earlier ones valid for " + overlap);
        return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedSigningSecret(id.toString(), secret,
                SecretBox.fingerprint(secret), Instant.now().plus(overlap)));
    }

    /** For Lab Ops services only: the values of the valid secrets, to sign (delivery) or verify (ingress). */
    @GetMapping("/api/service/tenants/{tenantId}/environments/{environment}/signing-secrets/{direction}")
    @RequiresScope(Scopes.SECRETS_READ)
    @Operation(summary = "Lab Ops services only: valid signing secret values")
    List<SecretRepository.Opened> values(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                         @PathVariable String direction) {
        if (caller.kind() != Caller.Kind.SERVICE) {
            throw Problems.of(HttpStatus.FORBIDDEN, "only Lab Ops services read secret values");
        }
        return secrets.open(tenantId, Environments.of(environment), Direction.of(direction), SecretRepository.Kind.SIGNING);
    }

    private Direction signed(String tenantId, String direction) {
        tenants.require(tenantId);
        Direction parsed = Direction.of(direction);
        if (parsed == Direction.PULL_DATA) {
            throw Problems.of(HttpStatus.NOT_FOUND, "pull-data has no signing secrets");
        }
        return parsed;
    }
}
