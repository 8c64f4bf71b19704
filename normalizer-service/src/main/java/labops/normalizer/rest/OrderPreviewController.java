package labops.normalizer.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import labops.events.Environment;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.ProfileStore;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import labops.schemas.rest.RestOrders;
import labops.schemas.topic.Topics;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * What orders in the REST format would become under the tenant's mapping profile in force, before anything is
 * published: ingress checks import rows with it (an unknown local test code is named at upload, not dead-lettered
 * after approval) and the console shows staff the canonical orders their rows make. Nothing is stored or sent.
 */
@RestController
class OrderPreviewController {

    static final int MAX_ORDERS = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One order's canonical order event (Avro's JSON rendering), or why it cannot be mapped. */
    record Mapped(int index, String order, String unmappable) {
    }

    private final ProfileStore profiles;
    private final RawMessageNormalizer rest;
    private final RawMessageNormalizer imported;

    OrderPreviewController(ProfileStore profiles, List<RawMessageNormalizer> normalizers) {
        this.profiles = profiles;
        this.rest = normalizer(normalizers, Topics.RAW_REST);
        this.imported = normalizer(normalizers, Topics.RAW_CSV);
    }

    /**
     * {@code source=csv} previews orders as import rows, else as REST requests; {@code orders=false} answers only
     * which cannot be mapped (what a check needs, without rendering each event).
     */
    @PostMapping("/api/tenants/{tenantId}/environments/{environment}/orders/preview")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    List<Mapped> preview(@PathVariable String tenantId, @PathVariable String environment,
                         @RequestParam(defaultValue = "rest") String source,
                         @RequestParam(name = "orders", defaultValue = "true") boolean render,
                         @RequestBody RestOrders orders) {
        if (orders.orders() == null || orders.orders().size() > MAX_ORDERS) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "orders: 1 to " + MAX_ORDERS + " orders per preview");
        }
        Environment env = ProfileStore.environment(environment);
        MappingProfile profile = profiles.inForce(tenantId, env);
        RawMessageNormalizer normalizer = "csv".equals(source) ? imported : rest;
        var mapped = new ArrayList<Mapped>(orders.orders().size());
        for (int i = 0; i < orders.orders().size(); i++) {
            var raw = new RawRecord("preview-" + UUID.randomUUID(), tenantId, env, "preview", null, Instant.now(),
                    JSON.writeValueAsString(orders.orders().get(i)).getBytes(StandardCharsets.UTF_8),
                    tenantId + "|preview");
            try {
                var events = normalizer.normalize(raw, profile);
                String order = !render ? null : events.stream()
                        .filter(event -> event.topic().equals(Topics.CANONICAL_ORDERS))
                        .map(event -> event.value().toString()).findFirst().orElse(null);
                mapped.add(new Mapped(i, order, null));
            } catch (UnmappableMessageException e) {
                mapped.add(new Mapped(i, null, e.getMessage()));
            }
        }
        return mapped;
    }

    private static RawMessageNormalizer normalizer(List<RawMessageNormalizer> normalizers, String topic) {
        return normalizers.stream().filter(n -> n.topic().equals(topic)).findFirst().orElseThrow();
    }
}
