package labops.delivery.destination;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import labops.delivery.DeliveryProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/** Result destinations from tenant-service, cached briefly. */
@Component
public class DestinationDirectory {

    private final RestClient tenantService;
    private final DeliveryProperties properties;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    DestinationDirectory(RestClient.Builder http, DeliveryProperties properties) {
        this.tenantService = http.baseUrl(properties.tenantServiceUrl()).build();
        this.properties = properties;
    }

    /** Empty when the tenant environment has no active destination. */
    public Optional<ResultDestination> find(String tenantId, String environment) {
        String key = tenantId + "|" + environment;
        Cached cached = cache.get(key);
        if (cached != null && cached.expires().isAfter(Instant.now())) {
            return cached.destination();
        }
        Optional<ResultDestination> destination;
        try {
            destination = Optional.ofNullable(tenantService.get()
                    .uri("/internal/tenants/{tenant}/environments/{environment}/result-destination", tenantId, environment)
                    .retrieve().body(ResultDestination.class));
        } catch (HttpClientErrorException e) {
            if (e.getStatusCode() != HttpStatus.NOT_FOUND) {
                throw e;
            }
            destination = Optional.empty();
        }
        cache.put(key, new Cached(destination, Instant.now().plus(properties.destinationCache())));
        return destination;
    }

    private record Cached(Optional<ResultDestination> destination, Instant expires) {
    }
}
