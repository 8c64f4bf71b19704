package labops.tenant.connection;

import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Configuration look-ups for the other services (ingress, delivery), which cache the answers.
 * Internal network only: not routed to tenants.
 */
@RestController
@RequestMapping("/internal")
class InternalConnectionController {

    private final ConnectionRepository connections;

    InternalConnectionController(ConnectionRepository connections) {
        this.connections = connections;
    }

    @GetMapping("/mllp-endpoints")
    List<MllpEndpoint> mllpEndpoints() {
        return connections.activeMllpEndpoints();
    }

    @GetMapping("/tenants/{tenantId}/environments/{environment}/result-destination")
    ResponseEntity<ResultDestination> resultDestination(@PathVariable String tenantId, @PathVariable String environment) {
        return ResponseEntity.of(connections.activeResultDestination(tenantId, environment));
    }
}
