package labops.normalizer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import labops.events.Environment;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.profile.ProfileStore;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.schemas.rest.RestOrders;
import labops.schemas.topic.Topics;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * REST JSON payload guidance for one tenant environment: a request in the documented order format, in the tenant's
 * own terms (its first local test code, its MRN system), run through this normalizer so the canonical events shown
 * are exactly the ones Lab Ops makes of it.
 */
@RestController
class RestGuide {

    static final String MRN_SYSTEM = "https://lis.your-lab.example/mrn";
    static final String ORDER_SYSTEM = "https://lis.your-lab.example/orders";
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final ProfileStore profiles;
    private final RawMessageNormalizer normalizer;

    RestGuide(ProfileStore profiles, List<RawMessageNormalizer> normalizers) {
        this.profiles = profiles;
        this.normalizer = normalizers.stream().filter(n -> n.topic().equals(Topics.RAW_REST)).findFirst().orElseThrow();
    }

    @GetMapping("/api/tenants/{tenantId}/environments/{environment}/guide/rest")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_READ, Scopes.DEAD_LETTERS})
    Map<String, Object> guide(@PathVariable String tenantId, @PathVariable String environment)
            throws UnmappableMessageException {
        Environment env = ProfileStore.environment(environment);
        return example(tenantId, env, profiles.inForce(tenantId, env));
    }

    /** The request body, pretty, and the canonical events its order becomes under {@code profile}. */
    Map<String, Object> example(String tenantId, Environment env, MappingProfile profile)
            throws UnmappableMessageException {
        RestOrders.Order order = order(profile.rules());
        var raw = new RawRecord("guide-example/rest", tenantId, env, "rest", "guide-example",
                Instant.parse("2026-01-01T00:00:00Z"), PRETTY.writeValueAsBytes(order), tenantId + "|patient-hash");
        var events = normalizer.normalize(raw, profile).stream()
                .map(e -> Map.<String, Object>of("topic", e.topic(), "event", e.value().toString())).toList();
        return Map.of("profileVersion", profile.version(), "body",
                new String(PRETTY.writeValueAsBytes(new RestOrders(List.of(order))), StandardCharsets.UTF_8),
                "events", events);
    }

    /** A stat order for home collection, with the tenant's first mapped local test code (else LOINC). */
    static RestOrders.Order order(MappingRules rules) {
        var test = rules.testCodes().isEmpty()
                ? new RestOrders.Test("2345-7", "http://loinc.org", "Glucose [Mass/volume] in Serum or Plasma")
                : new RestOrders.Test(rules.testCodes().get(0).local(), null, rules.testCodes().get(0).display());
        var address = new RestOrders.Address(List.of("1 Main St"), "Springfield", null, "12345", "US");
        return new RestOrders.Order("PON-EXAMPLE-1", ORDER_SYSTEM, "new", "stat",
                Instant.parse("2026-11-25T08:25:00Z"), new RestOrders.Provider("1234567893",
                "http://hl7.org/fhir/sid/us-npi", "House", "Greg"), List.of(test), null,
                List.of("Fasting since midnight"), new RestOrders.Patient("MRN-12345", MRN_SYSTEM, "Example",
                List.of("Pat"), LocalDate.of(1970, 1, 1), "female", "+1 555 0100", null, address),
                new RestOrders.HomeCollection(null, Instant.parse("2026-11-26T08:00:00Z"),
                        Instant.parse("2026-11-26T12:00:00Z")));
    }
}
