package labops.tenant.credential;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.platform.web.Problems;
import labops.tenant.auth.AuthProperties;
import labops.tenant.config.Changes;
import labops.tenant.connection.Environments;
import labops.tenant.secret.SecretGenerator;
import labops.tenant.tenant.TenantRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hospital API credentials: a client id and secret exchanged at {@code /oauth2/token} (client_credentials) for a
 * token of at most 5 minutes. The secret is shown once, in the answer that creates or rotates it.
 */
@RestController
@RequestMapping("/api/tenants/{tenantId}/environments/{environment}/credentials")
@RequiresScope(Scopes.TENANT_ADMIN)
@Tag(name = "API credentials", description = "Client credentials hospital systems exchange for tokens")
class CredentialController {

    /** Longest overlap a rotation may keep the old secret valid for. */
    static final Duration MAX_OVERLAP = Duration.ofDays(30);

    private final CredentialRepository credentials;
    private final TenantRepository tenants;
    private final PasswordEncoder hashes;
    private final Changes changes;
    private final AuthProperties.PublicUrls urls;

    CredentialController(CredentialRepository credentials, TenantRepository tenants, PasswordEncoder hashes,
                         Changes changes, AuthProperties properties) {
        this.urls = properties.publicUrls();
        this.credentials = credentials;
        this.tenants = tenants;
        this.hashes = hashes;
        this.changes = changes;
    }

    record CreateCredential(@NotBlank @Size(max = 100) String name,
                            @NotEmpty List<@NotBlank String> scopes) {
    }

    /** @param overlap how long the previous secret stays valid, ISO-8601 (e.g. {@code PT24H}); zero ends it now */
    record Rotate(Duration overlap) {
    }

    /** The one answer that contains the secret. Store it now: Lab Ops keeps only a hash. */
    record IssuedSecret(String clientId, String clientSecret, String tokenEndpoint, List<String> scopes,
                        String environment) {
    }

    @GetMapping
    List<ApiCredential> list(@PathVariable String tenantId, @PathVariable String environment) {
        check(tenantId, environment);
        return credentials.byTenant(tenantId).stream().filter(c -> c.environment().equals(environment)).toList();
    }

    @PostMapping
    @Operation(summary = "Create a credential; the answer shows its secret, once")
    ResponseEntity<IssuedSecret> create(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                        @Valid @RequestBody CreateCredential request) {
        check(tenantId, environment);
        var unknown = request.scopes().stream().filter(s -> !Scopes.API_CLIENT.contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "scopes " + unknown + " cannot be granted to an API "
                    + "credential; choose from " + Scopes.API_CLIENT);
        }
        String secret = SecretGenerator.clientSecret();
        var credential = new ApiCredential(UUID.randomUUID(), tenantId, environment,
                SecretGenerator.clientId(environment), request.name(), List.copyOf(request.scopes()), null,
                caller.subject(), null, null, List.of());
        changes.apply(caller.subject(), tenantId, environment, "credential.created", () -> {
            credentials.create(credential, hashes.encode(secret));
            return credential;
        }, c -> "API credential " + c.clientId() + " (" + c.name() + ") with scopes " + c.scopes());
        return ResponseEntity.status(HttpStatus.CREATED).body(issued(credential, secret));
    }

    @PostMapping("/{clientId}/rotate")
    @Operation(summary = "Issue a new secret; the old one stays valid for the overlap")
    IssuedSecret rotate(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                        @PathVariable String clientId, @RequestBody(required = false) Rotate request) {
        check(tenantId, environment);
        Duration overlap = request == null || request.overlap() == null ? Duration.ofHours(24) : request.overlap();
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "overlap must be between PT0S and P30D");
        }
        var credential = find(tenantId, environment, clientId);
        if (!credential.active()) {
            throw Problems.of(HttpStatus.CONFLICT, "credential " + clientId + " is revoked");
        }
        String secret = SecretGenerator.clientSecret();
        changes.apply(caller.subject(), tenantId, environment, "credential.rotated", () -> {
            credentials.addSecret(credential.id(), hashes.encode(secret), overlap, caller.subject());
            return credential;
        }, c -> "new secret for " + c.clientId() + "; the previous one stays valid for " + overlap);
        return issued(credential, secret);
    }

    @PostMapping("/{clientId}/revoke")
    @Operation(summary = "Revoke: no new tokens, and tokens already issued stop working within seconds")
    ApiCredential revoke(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                         @PathVariable String clientId) {
        check(tenantId, environment);
        var credential = find(tenantId, environment, clientId);
        changes.apply(caller.subject(), tenantId, environment, "credential.revoked", () -> {
            credentials.revoke(credential.id(), caller.subject());
            return credential;
        }, c -> "API credential " + c.clientId() + " revoked");
        return credentials.byId(credential.id()).orElseThrow();
    }

    private void check(String tenantId, String environment) {
        Environments.of(environment);
        tenants.require(tenantId);
    }

    private ApiCredential find(String tenantId, String environment, String clientId) {
        return credentials.byClientId(clientId)
                .filter(c -> c.tenantId().equals(tenantId) && c.environment().equals(environment))
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no credential " + clientId + " in this environment"));
    }

    private IssuedSecret issued(ApiCredential credential, String secret) {
        return new IssuedSecret(credential.clientId(), secret, urls.issuer() + "/oauth2/token", credential.scopes(),
                credential.environment());
    }

}
