package labops.ingress.endpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import labops.platform.tenant.TenantConfiguration;
import labops.platform.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The MLLP endpoints of every tenant, by port, kept current from the tenant directory: a new or revoked endpoint
 * reaches the listeners as soon as tenant-service publishes it. Listeners look the endpoint up on every message.
 */
@Component
public class EndpointDirectory {

    private static final Logger log = LoggerFactory.getLogger(EndpointDirectory.class);

    private final TenantDirectory tenants;
    private volatile Map<Integer, MllpEndpoint> byPort = Map.of();
    private volatile Consumer<Map<Integer, MllpEndpoint>> onChange = endpoints -> { };

    public EndpointDirectory(TenantDirectory tenants) {
        this.tenants = tenants;
        tenants.onChange(changed -> rebuild());
    }

    public Optional<MllpEndpoint> byPort(int port) {
        return Optional.ofNullable(byPort.get(port));
    }

    /** Called with the full endpoint map now and after every change. */
    public void onChange(Consumer<Map<Integer, MllpEndpoint>> listener) {
        this.onChange = listener;
        rebuild();
    }

    private synchronized void rebuild() {
        var fresh = new HashMap<Integer, MllpEndpoint>();
        for (TenantConfiguration tenant : tenants.all()) {
            for (var environment : tenant.environments()) {
                for (var endpoint : environment.receiveOrders().mllpEndpoints()) {
                    fresh.put(endpoint.port(), new MllpEndpoint(endpoint.id(), tenant.tenantId(), environment.name(),
                            endpoint.purpose(), endpoint.port(), endpoint.allowedSources(), endpoint.tls(),
                            endpoint.acceptedTypes()));
                }
            }
        }
        if (!fresh.equals(byPort)) {
            byPort = Map.copyOf(fresh);
            log.info("event=endpoints-changed count={}", fresh.size());
            onChange.accept(byPort);
        }
    }
}
