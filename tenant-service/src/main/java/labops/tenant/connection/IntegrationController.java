package labops.tenant.connection;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.Optional;
import labops.platform.outbound.OutboundAddressPolicy;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.Hl7MessageTypes;
import labops.schemas.auth.Scopes;
import labops.platform.web.Problems;
import labops.tenant.auth.AuthProperties;
import labops.tenant.config.Changes;
import labops.tenant.secret.KeyPairs;
import labops.tenant.secret.SecretRepository;
import labops.tenant.tenant.TenantRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The three directions of a tenant environment: their settings, MLLP endpoints and the secrets Lab Ops keeps. */
@RestController
@RequestMapping("/api/tenants/{tenantId}")
@RequiresScope(Scopes.TENANT_ADMIN)
@Tag(name = "Connections", description = "Receive orders, pull approved data, send results back")
class IntegrationController {

    private final IntegrationViews views;
    private final ConnectionRepository connections;
    private final SecretRepository secrets;
    private final TenantRepository tenants;
    private final Changes changes;
    private final AuthProperties properties;
    private final OutboundAddressPolicy outbound;

    IntegrationController(IntegrationViews views, ConnectionRepository connections, SecretRepository secrets,
                          TenantRepository tenants, Changes changes, AuthProperties properties,
                          OutboundAddressPolicy outbound) {
        this.views = views;
        this.connections = connections;
        this.secrets = secrets;
        this.tenants = tenants;
        this.changes = changes;
        this.properties = properties;
        this.outbound = outbound;
    }

    /**
     * @param purpose        {@code orders} (the hospital sends orders) or {@code results} (the lab's LIS sends results)
     * @param allowedSources CIDR blocks allowed to connect, e.g. {@code 10.20.0.0/16}; empty admits any (sandbox only)
     * @param tls            the endpoint speaks MLLP over TLS only (default false)
     * @param acceptedTypes  narrows the endpoint to some of its purpose's message types (e.g. {@code ORM^O01});
     *                       absent or empty takes them all
     */
    record NewMllpEndpoint(@NotBlank @Pattern(regexp = "orders|results", message = "must be orders or results") String purpose,
                           List<@Pattern(regexp = CIDR, message = "must be an IPv4 CIDR block such as 10.0.0.0/8")
                                   String> allowedSources,
                           Boolean tls, List<String> acceptedTypes) {
    }

    /** A live production address changed: nothing goes to the new one before a Lab Ops admin approves it. */
    private static final String AWAITING_APPROVAL = "; production is out of service until a Lab Ops admin approves "
            + "the new address (go-live activate)";

    static final String CIDR = "(\\d{1,3}\\.){3}\\d{1,3}(/\\d{1,2})?";

    /** @param clientSecret the secret their FHIR server issued to Lab Ops; sealed, never shown again */
    record PullDataRequest(@Valid ConnectionSettings.PullData settings, String clientSecret) {
    }

    /** @param credential bearer token or password for a FHIR destination; sealed, never shown again */
    record SendResultsRequest(@Valid ConnectionSettings.SendResults settings, String credential) {
    }

    @GetMapping("/integration")
    @Operation(summary = "The integration page's content: endpoints, credentials, secrets and go-live, by direction")
    IntegrationView integration(@PathVariable String tenantId) {
        check(tenantId);
        return views.view(tenantId);
    }

    @PutMapping("/environments/{environment}/connections/receive-orders")
    @Operation(summary = "Receive orders: whether HTTP pushes must be signed")
    IntegrationView receiveOrders(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                  @Valid @RequestBody ConnectionSettings.ReceiveOrders settings) {
        check(tenantId);
        Environments.of(environment);
        if (settings.signatureRequired() && secrets.valid(tenantId, environment, Direction.RECEIVE_ORDERS,
                SecretRepository.Kind.SIGNING).isEmpty()) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT,
                    "signatureRequired: create an inbound signing secret first, so the hospital can sign");
        }
        changes.apply(caller.subject(), tenantId, environment, "connection.updated", () -> {
            connections.updateSettings(tenantId, environment, Direction.RECEIVE_ORDERS, settings, caller.subject());
            return settings;
        }, s -> "receive-orders: signatures " + (s.signatureRequired() ? "required" : "not required"));
        return views.view(tenantId);
    }

    @PutMapping("/environments/{environment}/connections/pull-data")
    @Operation(summary = "Pull approved data: the hospital's FHIR server, client and approved read scopes")
    IntegrationView pullData(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                             @Valid @RequestBody PullDataRequest request) {
        check(tenantId);
        Environments.of(environment);
        var settings = Objects.requireNonNull(request.settings(), "settings");
        refuseInternal("settings.fhirBaseUrl", settings.fhirBaseUrl(), outbound::refusalOfUrl);
        refuseInternal("settings.issuer", settings.issuer(), outbound::refusalOfUrl);
        boolean reapproval = addressChangedWhileLive(tenantId, environment, Direction.PULL_DATA,
                ConnectionSettings.PullData.class, settings, s -> Arrays.asList(s.fhirBaseUrl(), s.issuer()));
        changes.apply(caller.subject(), tenantId, environment, "connection.updated", () -> {
            connections.updateSettings(tenantId, environment, Direction.PULL_DATA, settings, caller.subject());
            if (reapproval) {
                connections.awaitApproval(tenantId, environment, Direction.PULL_DATA);
            }
            if (request.clientSecret() != null && !request.clientSecret().isBlank()) {
                secrets.replace(tenantId, environment, Direction.PULL_DATA, SecretRepository.Kind.CLIENT_SECRET,
                        request.clientSecret(), Duration.ZERO, caller.subject());
            }
            return settings;
        }, s -> "pull-data: " + s.fhirBaseUrl() + " client " + s.clientId() + " scopes " + s.scopes()
                + (request.clientSecret() == null || request.clientSecret().isBlank() ? "" : "; client secret replaced")
                + (reapproval ? AWAITING_APPROVAL : ""));
        return views.view(tenantId);
    }

    @PostMapping("/environments/{environment}/connections/pull-data/key-pair")
    @Operation(summary = "Generate Lab Ops' key pair for private_key_jwt; answers the public key (JWKS) to register")
    Map<String, Object> keyPair(Caller caller, @PathVariable String tenantId, @PathVariable String environment) {
        check(tenantId);
        Environments.of(environment);
        RSAKey key = KeyPairs.generate();
        changes.apply(caller.subject(), tenantId, environment, "connection.key-pair-created", () ->
                secrets.replace(tenantId, environment, Direction.PULL_DATA, SecretRepository.Kind.PRIVATE_KEY,
                        key.toJSONString(), Duration.ZERO, caller.subject()),
                id -> "pull-data: new key pair " + key.getKeyID());
        return new JWKSet(key.toPublicJWK()).toJSONObject();
    }

    @PutMapping("/environments/{environment}/connections/send-results")
    @Operation(summary = "Send results back: destination kind and address (and its credential)")
    IntegrationView sendResults(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                @Valid @RequestBody SendResultsRequest request) {
        check(tenantId);
        Environments.of(environment);
        var settings = Objects.requireNonNull(request.settings(), "settings");
        if (!"result-api".equals(settings.kind()) && (settings.address() == null || settings.address().isBlank())) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "settings.address: required for a " + settings.kind()
                    + " destination");
        }
        if ("hl7-mllp".equals(settings.kind())) {
            refuseInternal("settings.address", settings.address(), outbound::refusalOfHostPort);
        } else if (!"result-api".equals(settings.kind())) {
            refuseInternal("settings.address", settings.address(), outbound::refusalOfUrl);
        }
        String other = environment.equals(Environments.SANDBOX) ? Environments.PRODUCTION : Environments.SANDBOX;
        var otherSettings = connections.connection(tenantId, other, Direction.SEND_RESULTS)
                .settings(ConnectionSettings.SendResults.class);
        if (settings.address() != null && settings.address().equals(otherSettings.address())) {
            // Sandbox results must never reach a production system: the two environments never share an address.
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "settings.address: already the " + other
                    + " destination; sandbox and production results must go to different places");
        }
        boolean reapproval = addressChangedWhileLive(tenantId, environment, Direction.SEND_RESULTS,
                ConnectionSettings.SendResults.class, settings, s -> Arrays.asList(s.kind(), s.address()));
        changes.apply(caller.subject(), tenantId, environment, "connection.updated", () -> {
            connections.updateSettings(tenantId, environment, Direction.SEND_RESULTS, settings, caller.subject());
            if (reapproval) {
                connections.awaitApproval(tenantId, environment, Direction.SEND_RESULTS);
            }
            if (request.credential() != null && !request.credential().isBlank()) {
                secrets.replace(tenantId, environment, Direction.SEND_RESULTS,
                        SecretRepository.Kind.DESTINATION_CREDENTIAL, request.credential(), Duration.ZERO,
                        caller.subject());
            }
            return settings;
        }, s -> "send-results: " + s.kind() + " " + (s.address() == null ? "" : s.address())
                + (reapproval ? AWAITING_APPROVAL : ""));
        return views.view(tenantId);
    }

    @PostMapping("/environments/{environment}/mllp-endpoints")
    @Operation(summary = "Open an MLLP endpoint on a port allocated from the configured range")
    ResponseEntity<IntegrationView.MllpView> addMllpEndpoint(Caller caller, @PathVariable String tenantId,
                                                             @PathVariable String environment,
                                                             @Valid @RequestBody NewMllpEndpoint request) {
        check(tenantId);
        Environments.of(environment);
        List<String> sources = request.allowedSources() == null ? List.of() : request.allowedSources();
        if (environment.equals(Environments.PRODUCTION) && sources.isEmpty()) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT,
                    "allowedSources: a production endpoint must name the networks allowed to connect");
        }
        List<String> types = request.acceptedTypes() == null ? List.of() : List.copyOf(request.acceptedTypes());
        List<String> purposeTypes = Hl7MessageTypes.ACCEPTED.getOrDefault(request.purpose(), List.of());
        for (String type : types) {
            if (!purposeTypes.contains(type)) {
                throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "acceptedTypes: " + type + " is not a type an "
                        + request.purpose() + " endpoint takes (" + String.join(", ", purposeTypes) + ")");
            }
        }
        int[] range = properties.mllpPortRange();
        var endpoint = changes.apply(caller.subject(), tenantId, environment, "mllp-endpoint.added", () -> {
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = connections.freePort(range[0], range[1]).orElseThrow(() -> Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE, "no free MLLP port left in " + properties.mllpPorts()));
                var candidate = new MllpEndpoint(UUID.randomUUID(), tenantId, environment, request.purpose(), port,
                        sources, Boolean.TRUE.equals(request.tls()), types, null, caller.subject());
                if (connections.addMllpEndpoint(candidate)) {
                    return candidate;
                }
            }
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "MLLP ports are being allocated concurrently; retry");
        }, e -> e.purpose() + " endpoint on port " + e.port() + (e.tls() ? " (TLS)" : "") + " allowing "
                + (sources.isEmpty() ? "any source" : sources) + (types.isEmpty() ? "" : ", taking only " + types));
        return ResponseEntity.status(HttpStatus.CREATED).body(views.mllp(endpoint));
    }

    @PostMapping("/environments/{environment}/mllp-endpoints/{endpointId}/revoke")
    @Operation(summary = "Close an MLLP endpoint: ingress stops accepting on it within seconds")
    IntegrationView revokeMllpEndpoint(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                       @PathVariable UUID endpointId) {
        check(tenantId);
        Environments.of(environment);
        changes.apply(caller.subject(), tenantId, environment, "mllp-endpoint.revoked", () -> {
            if (!connections.revokeMllpEndpoint(tenantId, endpointId, caller.subject())) {
                throw Problems.of(HttpStatus.NOT_FOUND, "no active MLLP endpoint " + endpointId);
            }
            return endpointId;
        }, id -> "MLLP endpoint " + id + " revoked");
        return views.view(tenantId);
    }

    private void check(String tenantId) {
        tenants.require(tenantId);
    }

    /**
     * True when {@code settings} point a live production direction somewhere else than it points now ({@code where}
     * names what counts as the address): then it goes out of service until a Lab Ops admin approves the change.
     */
    private <T> boolean addressChangedWhileLive(String tenantId, String environment, Direction direction, Class<T> type,
                                                T settings, Function<T, List<?>> where) {
        var current = connections.connection(tenantId, environment, direction);
        return current.active() && environment.equals(Environments.PRODUCTION)
                && !where.apply(current.settings(type)).equals(where.apply(settings));
    }

    /** Refused at save with the policy's reason; checked again at every connect (names can change what they mean). */
    private static void refuseInternal(String field, String value, Function<String, Optional<String>> policy) {
        if (value != null && !value.isBlank()) {
            policy.apply(value).ifPresent(reason -> {
                throw Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, field + ": " + reason);
            });
        }
    }
}
