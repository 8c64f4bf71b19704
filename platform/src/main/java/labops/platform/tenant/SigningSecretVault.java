package labops.platform.tenant;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * Signing secret values, fetched from tenant-service with this service's own token and kept in memory under the
 * ids the tenant directory lists as valid. A rotation or revocation changes those ids, so the next use fetches
 * again: the directory decides when a cached value is stale, for every service alike. Values are never logged.
 */
public class SigningSecretVault {

    /** A secret as tenant-service hands it to a Lab Ops service. */
    public record SigningSecret(UUID id, String secret) {
    }

    private record Key(String tenantId, String environment, String direction) {
    }

    private record Cached(List<UUID> ids, List<String> secrets) {
    }

    private final RestClient tenantService;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public SigningSecretVault(RestClient tenantService) {
        this.tenantService = tenantService;
    }

    /**
     * The secret values whose ids are {@code validIds}, in that order. {@code direction} is {@code receive-orders}
     * (secrets the hospital signs with) or {@code send-results} (secrets Lab Ops signs deliveries with).
     */
    public List<String> secrets(String tenantId, String environment, String direction, List<UUID> validIds) {
        if (validIds.isEmpty()) {
            return List.of();
        }
        var key = new Key(tenantId, environment, direction);
        Cached cached = cache.get(key);
        if (cached != null && cached.ids().equals(validIds)) {
            return cached.secrets();
        }
        List<SigningSecret> fetched = tenantService.get()
                .uri("/api/service/tenants/{tenant}/environments/{environment}/signing-secrets/{direction}",
                        tenantId, environment, direction)
                .retrieve().body(new ParameterizedTypeReference<List<SigningSecret>>() { });
        Map<UUID, String> byId = new ConcurrentHashMap<>();
        (fetched == null ? List.<SigningSecret>of() : fetched).forEach(s -> byId.put(s.id(), s.secret()));
        List<String> secrets = validIds.stream().filter(byId::containsKey).map(byId::get).toList();
        cache.put(key, new Cached(List.copyOf(validIds), secrets));
        return secrets;
    }
}
