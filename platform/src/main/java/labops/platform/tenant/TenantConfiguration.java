package labops.platform.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One tenant as tenant-service last committed it, published whole on {@code labops.tenant.config} (key = tenant id)
 * after every change. It carries what other services must enforce (status, active connections, endpoints, active API
 * clients) and the ids of the currently valid secrets, never their values: a service that needs a secret fetches it
 * from tenant-service with its own token and caches it under these ids, so a rotation invalidates the cache.
 *
 * @param tenantId     tenant id
 * @param name         display name
 * @param suspended    true when intake and deliveries are stopped for the whole tenant
 * @param updatedAt    when tenant-service committed this snapshot
 * @param environments sandbox and production
 * @param people       the tenant's people who may act now (disabled ones are absent), so that every service refuses
 *                     a token whose holder was disabled or whose role changed since it was issued; null in snapshots
 *                     published before people were carried (tenant-service republishes every tenant when it starts)
 * @param releasePolicy how the tenant's results are released to the hospital; null: {@link ReleasePolicy#DEFAULT}
 */
public record TenantConfiguration(String tenantId, String name, boolean suspended, Instant updatedAt,
                                  List<EnvironmentConfiguration> environments, List<Person> people,
                                  ReleasePolicy releasePolicy) {

    /**
     * When a result goes to the hospital. By default a final (or corrected) result, verified by the lab's own LIS, is
     * released when it arrives and a preliminary one is not released at all; a tenant may require a person's review
     * in Lab Ops first, for every result or for some tests.
     *
     * @param reviewAll          every final or corrected result waits for review
     * @param reviewTests        test codes (observation codes) whose results wait for review
     * @param releasePreliminary preliminary results are released too (on arrival, or after review like the rest)
     */
    public record ReleasePolicy(boolean reviewAll, List<String> reviewTests, boolean releasePreliminary) {

        public static final ReleasePolicy DEFAULT = new ReleasePolicy(false, List.of(), false);

        public ReleasePolicy {
            reviewTests = reviewTests == null ? List.of() : List.copyOf(reviewTests);
        }
    }

    /** The tenant's release policy, its default when it has none. */
    public ReleasePolicy release() {
        return releasePolicy == null ? ReleasePolicy.DEFAULT : releasePolicy;
    }

    /**
     * @param username    the token's subject
     * @param role        their role now
     * @param accessSince when their access last changed: tokens issued before it are refused
     */
    public record Person(String username, String role, Instant accessSince) {
    }

    public Optional<Person> person(String username) {
        return people == null ? Optional.empty()
                : people.stream().filter(p -> p.username().equals(username)).findFirst();
    }

    public static final String SANDBOX = "sandbox";
    public static final String PRODUCTION = "production";

    public Optional<EnvironmentConfiguration> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * @param name          {@code sandbox} or {@code production}
     * @param apiClients    client ids of the API credentials currently valid in this environment
     * @param receiveOrders the hospital pushes orders (and the lab's LIS pushes results) to Lab Ops
     * @param sendResults   where Lab Ops delivers results; null when none is configured
     */
    public record EnvironmentConfiguration(String name, List<String> apiClients, ReceiveOrders receiveOrders,
                                           SendResults sendResults) {
    }

    /**
     * @param active            production: only after go-live; sandbox: always
     * @param mllpEndpoints     MLLP listeners of this environment
     * @param signatureRequired HTTP pushes must carry a valid Standard Webhooks signature
     * @param signingSecretIds  ids of the inbound signing secrets valid now (two during a rotation overlap)
     */
    public record ReceiveOrders(boolean active, List<MllpEndpoint> mllpEndpoints, boolean signatureRequired,
                                List<UUID> signingSecretIds) {
    }

    /**
     * @param id             destination id
     * @param active         production: only after go-live; sandbox: always
     * @param kind           {@code webhook}, {@code fhir}, {@code hl7-mllp} or {@code result-api}
     * @param address        URL or {@code host:port}
     * @param signingSecretIds ids of the outbound signing secrets valid now; deliveries are signed with each
     */
    public record SendResults(UUID id, boolean active, String kind, String address, List<UUID> signingSecretIds) {
    }

    /**
     * @param id             endpoint id
     * @param purpose        {@code orders} (the hospital sends orders) or {@code results} (the lab's LIS sends results)
     * @param port           listening port
     * @param allowedSources CIDR blocks allowed to connect; empty admits any source
     * @param tls            the listener requires TLS
     * @param acceptedTypes  the message types this endpoint takes (e.g. {@code ORM^O01}); empty takes every type of
     *                       its purpose
     */
    public record MllpEndpoint(UUID id, String purpose, int port, List<String> allowedSources, boolean tls,
                               List<String> acceptedTypes) {

        public static final String ORDERS = "orders";
        public static final String RESULTS = "results";

        public MllpEndpoint {
            // Configuration published before endpoints could be narrowed has no list: every type of the purpose.
            acceptedTypes = acceptedTypes == null ? List.of() : List.copyOf(acceptedTypes);
        }
    }
}
