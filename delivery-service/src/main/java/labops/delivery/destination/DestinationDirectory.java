package labops.delivery.destination;

import labops.platform.tenant.SigningSecretVault;
import labops.platform.tenant.TenantConfiguration;
import labops.platform.tenant.TenantDirectory;
import org.springframework.stereotype.Component;

/**
 * Where a result may go, decided from the tenant directory at the moment of each attempt: the tenant is active, the
 * result's own environment has a send-results connection that is live (production only after go-live), and the
 * signing secrets are the ones valid now. A sandbox result is only ever looked up in sandbox.
 */
@Component
public class DestinationDirectory {

    private final TenantDirectory tenants;
    private final SigningSecretVault secrets;

    DestinationDirectory(TenantDirectory tenants, SigningSecretVault secrets) {
        this.tenants = tenants;
        this.secrets = secrets;
    }

    /** Where to deliver, or why not now (a reason safe for the audit log). */
    public sealed interface Lookup permits Found, Refused {
    }

    public record Found(ResultDestination destination) implements Lookup {
    }

    public record Refused(String reason) implements Lookup {
    }

    public Lookup find(String tenantId, String environment) {
        var tenant = tenants.find(tenantId);
        if (tenant.isEmpty()) {
            return new Refused("unknown tenant");
        }
        if (tenant.get().suspended()) {
            return new Refused("tenant suspended: deliveries are held");
        }
        TenantConfiguration.SendResults send = tenant.get().environment(environment)
                .map(TenantConfiguration.EnvironmentConfiguration::sendResults).orElse(null);
        if (send == null) {
            return new Refused("no result destination for this tenant environment");
        }
        if (!send.active()) {
            return new Refused("the " + environment + " send-results connection is not live yet");
        }
        if (!"webhook".equals(send.kind())) {
            return new Refused("destination kind " + send.kind() + " is not delivered to yet");
        }
        if (send.signingSecretIds().isEmpty()) {
            return new Refused("the webhook has no signing secret yet; create one on the integration page");
        }
        return new Found(new ResultDestination(send.id(), tenantId, environment, send.address(),
                secrets.secrets(tenantId, environment, "send-results", send.signingSecretIds())));
    }
}
