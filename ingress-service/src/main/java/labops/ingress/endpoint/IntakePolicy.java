package labops.ingress.endpoint;

import java.util.Optional;
import labops.platform.tenant.TenantConfiguration;
import labops.platform.tenant.TenantDirectory;
import org.springframework.stereotype.Component;

/**
 * Whether a tenant environment may send Lab Ops anything right now, whatever the channel: the tenant exists and is
 * not suspended, and its receive-orders connection in that environment is active (production only after go-live).
 * Read from the in-memory tenant directory on every message, so a suspension applies within seconds.
 */
@Component
public class IntakePolicy {

    private final TenantDirectory tenants;

    public IntakePolicy(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    /** Why intake is refused, or empty when it is open. The reason is safe to tell the sender. */
    public Optional<String> refusal(String tenantId, String environment) {
        Optional<TenantConfiguration> tenant = tenants.find(tenantId);
        if (tenant.isEmpty()) {
            return Optional.of("unknown tenant");
        }
        if (tenant.get().suspended()) {
            return Optional.of("tenant suspended: Lab Ops accepts nothing from it until it is resumed");
        }
        var receive = tenant.get().environment(environment).map(e -> e.receiveOrders());
        if (receive.isEmpty() || !receive.get().active()) {
            return Optional.of("the " + environment + " connection for receiving orders is not live yet "
                    + "(production goes live after its checklist)");
        }
        return Optional.empty();
    }

    public Optional<TenantConfiguration.ReceiveOrders> receiveOrders(String tenantId, String environment) {
        return tenants.find(tenantId).flatMap(t -> t.environment(environment)).map(e -> e.receiveOrders());
    }
}
