package labops.tenant.golive;

import java.util.ArrayList;
import java.util.List;
import labops.tenant.connection.ConnectionRepository;
import labops.tenant.connection.ConnectionSettings;
import labops.tenant.connection.Direction;
import labops.tenant.connection.Environments;
import labops.tenant.secret.SecretRepository;
import org.springframework.stereotype.Component;

/** Whether a direction may go live in production, and if not, why not. */
@Component
public class GoLiveReadiness {

    private final GoLiveRepository goLive;
    private final ConnectionRepository connections;
    private final SecretRepository secrets;

    GoLiveReadiness(GoLiveRepository goLive, ConnectionRepository connections, SecretRepository secrets) {
        this.goLive = goLive;
        this.connections = connections;
        this.secrets = secrets;
    }

    /** What still stands between a direction and production, in words a person can act on. */
    public List<String> missing(String tenantId, Direction direction) {
        var missing = new ArrayList<String>();
        var done = goLive.completed(tenantId, direction).stream().map(GoLiveRepository.Completed::item).toList();
        for (GoLiveItem item : GoLiveItem.values()) {
            if (!done.contains(item)) {
                missing.add("checklist: " + item.title());
            }
        }
        if (goLive.evidence(tenantId, direction).isEmpty()) {
            missing.add("no success in sandbox yet");
        }
        var production = connections.connection(tenantId, Environments.PRODUCTION, direction);
        switch (direction) {
            case SEND_RESULTS -> {
                var settings = production.settings(ConnectionSettings.SendResults.class);
                if (settings.kind() == null) {
                    missing.add("no production result destination");
                } else if (!"result-api".equals(settings.kind()) && settings.address() == null) {
                    missing.add("no production destination address");
                } else if ("webhook".equals(settings.kind()) && secrets.valid(tenantId, Environments.PRODUCTION,
                        direction, SecretRepository.Kind.SIGNING).isEmpty()) {
                    missing.add("no production signing secret");
                }
            }
            case PULL_DATA -> {
                var settings = production.settings(ConnectionSettings.PullData.class);
                if (settings.fhirBaseUrl() == null || settings.clientId() == null) {
                    missing.add("no production FHIR base URL and client id");
                }
                var kind = "private-key-jwt".equals(settings.authentication())
                        ? SecretRepository.Kind.PRIVATE_KEY : SecretRepository.Kind.CLIENT_SECRET;
                if (secrets.valid(tenantId, Environments.PRODUCTION, direction, kind).isEmpty()) {
                    missing.add("no production client secret or key pair");
                }
            }
            case RECEIVE_ORDERS -> { }
        }
        return missing;
    }

}
