package labops.ingress.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import labops.ingress.IngressProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The active MLLP endpoints, read from tenant-service and refreshed on a schedule. Listeners look the
 * endpoint up on every message, so a revoked endpoint stops accepting at the next refresh.
 */
@Component
public class EndpointDirectory {

    private static final Logger log = LoggerFactory.getLogger(EndpointDirectory.class);

    private final RestClient tenantService;
    private final Map<Integer, MllpEndpoint> byPort = new ConcurrentHashMap<>();
    private volatile Consumer<Map<Integer, MllpEndpoint>> onChange = endpoints -> { };

    public EndpointDirectory(RestClient.Builder http, IngressProperties properties) {
        this.tenantService = http.baseUrl(properties.tenantServiceUrl()).build();
    }

    public Optional<MllpEndpoint> byPort(int port) {
        return Optional.ofNullable(byPort.get(port));
    }

    /** Called with the full endpoint map after every change. */
    public void onChange(Consumer<Map<Integer, MllpEndpoint>> listener) {
        this.onChange = listener;
        listener.accept(Map.copyOf(byPort));
    }

    @Scheduled(fixedDelayString = "${labops.ingress.endpoint-refresh:5s}")
    public void refresh() {
        List<MllpEndpoint> endpoints;
        try {
            endpoints = tenantService.get().uri("/internal/mllp-endpoints").retrieve()
                    .body(new ParameterizedTypeReference<List<MllpEndpoint>>() { });
        } catch (RestClientException e) {
            log.warn("event=endpoint-refresh-failed reason={}", e.getClass().getSimpleName());
            return;
        }
        Map<Integer, MllpEndpoint> fresh = endpoints == null ? Map.of()
                : endpoints.stream().collect(Collectors.toMap(MllpEndpoint::port, e -> e));
        if (!fresh.equals(byPort)) {
            byPort.keySet().retainAll(fresh.keySet());
            byPort.putAll(fresh);
            log.info("event=endpoints-changed count={}", fresh.size());
            onChange.accept(Map.copyOf(byPort));
        }
    }
}
