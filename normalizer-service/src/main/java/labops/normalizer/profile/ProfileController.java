package labops.normalizer.profile;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import labops.events.Environment;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import labops.schemas.topic.Topics;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's mapping profile per environment, for its admins (through the console): the version in force, every
 * earlier version, a preview of the canonical events a pasted message would become under draft rules, and saving a
 * new version once the rules are valid. Saving is audited.
 */
@RestController
@RequestMapping("/api/tenants/{tenantId}/environments/{environment}/mapping-profile")
@RequiresScope(Scopes.TENANT_ADMIN)
class ProfileController {

    /** Draft rules and a sample message to run through them. */
    record PreviewRequest(MappingRules rules, String message) {
    }

    /** One canonical event a preview produced. */
    record PreviewEvent(String topic, String type, String event) {
    }

    /** The events the sample becomes, or why it cannot be mapped (what the sender's message would dead-letter with). */
    record Preview(List<PreviewEvent> events, String unmappable) {
    }

    private final ProfileStore profiles;
    private final RawMessageNormalizer hl7;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, Object> kafka;
    private final AuditPublisher audit;

    ProfileController(ProfileStore profiles, List<RawMessageNormalizer> normalizers, TransactionTemplate transactions,
                      KafkaTemplate<String, Object> kafka, AuditPublisher audit) {
        this.profiles = profiles;
        this.hl7 = normalizers.stream().filter(n -> n.topic().equals(Topics.RAW_HL7V2)).findFirst().orElseThrow();
        this.transactions = transactions;
        this.kafka = kafka;
        this.audit = audit;
    }

    @GetMapping
    MappingProfile inForce(@PathVariable String tenantId, @PathVariable String environment) {
        return profiles.inForce(tenantId, ProfileStore.environment(environment));
    }

    @GetMapping("/versions")
    List<MappingProfile> versions(@PathVariable String tenantId, @PathVariable String environment) {
        return profiles.versions(tenantId, ProfileStore.environment(environment));
    }

    @GetMapping("/versions/{version}")
    MappingProfile version(@PathVariable String tenantId, @PathVariable String environment, @PathVariable int version) {
        MappingProfile profile = profiles.version(tenantId, ProfileStore.environment(environment), version);
        if (profile == null) {
            throw Problems.of(HttpStatus.NOT_FOUND, "no mapping profile version " + version);
        }
        return profile;
    }

    /** Saves valid rules as the next version, in force on every normalizer within the profile cache's lifetime. */
    @PutMapping
    MappingProfile save(@PathVariable String tenantId, @PathVariable String environment,
                        @RequestBody MappingRules rules, Authentication authentication) {
        Environment env = ProfileStore.environment(environment);
        requireValid(rules);
        String actor = Caller.of(authentication).subject();
        return transactions.execute(status -> {
            MappingProfile saved = profiles.save(tenantId, env, rules, actor);
            record(AuditDecision.change("mapping-profile.saved", tenantId, environment, actor,
                    "version " + saved.version() + ": " + rules.testCodes().size() + " test codes, "
                            + rules.priorities().size() + " priority codes"));
            return saved;
        });
    }

    /** The canonical events {@code message} becomes under the draft rules; nothing is published or saved. */
    @PostMapping("/preview")
    Preview preview(@PathVariable String tenantId, @PathVariable String environment,
                    @RequestBody PreviewRequest request) {
        Environment env = ProfileStore.environment(environment);
        MappingRules rules = request.rules() == null ? MappingRules.NONE : request.rules();
        requireValid(rules);
        if (request.message() == null || request.message().isBlank()) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "paste an HL7 v2 message to preview");
        }
        var draft = new MappingProfile(profiles.inForce(tenantId, env).version() + 1, null, null, rules);
        var raw = new RawRecord("preview-" + UUID.randomUUID(), tenantId, env, "preview", null, Instant.now(),
                request.message().replace("\r\n", "\r").replace('\n', '\r').getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), tenantId + "|preview");
        try {
            return new Preview(hl7.normalize(raw, draft).stream()
                    .map(e -> new PreviewEvent(e.topic(), e.value().getSchema().getName(), e.value().toString()))
                    .toList(), null);
        } catch (UnmappableMessageException e) {
            return new Preview(List.of(), e.getMessage());
        }
    }

    private static void requireValid(MappingRules rules) {
        List<String> problems = rules.problems();
        if (!problems.isEmpty()) {
            var detail = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY,
                    "the mapping profile has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
            detail.setProperty("problems", problems);
            throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_ENTITY, detail, null);
        }
    }


    /** The saved version and its audit entry stand or fall together. */
    private void record(AuditDecision decision) {
        try {
            kafka.executeInTransaction(operations -> audit.publish(decision)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the audit log did not take the change; nothing saved");
        } catch (Exception e) {
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the audit log did not take the change; nothing saved");
        }
    }
}
