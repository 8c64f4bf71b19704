package labops.workflow.release;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import labops.events.LabResultEvent;
import labops.events.OrderChangeCause;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.kafka.OrderKeys;
import labops.platform.tenant.EnvironmentNames;
import labops.platform.tenant.TenantConfiguration;
import labops.platform.tenant.TenantConfiguration.ReleasePolicy;
import labops.platform.tenant.TenantDirectory;
import labops.platform.web.Problems;
import labops.schemas.topic.Topics;
import labops.workflow.lifecycle.Lifecycle;
import labops.workflow.lifecycle.LifecycleEvents;
import labops.workflow.lifecycle.StatusChange;
import labops.workflow.record.Records;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Releases results to the hospital under the tenant's policy ({@link ReleaseRules}): released results go to
 * {@code labops.results.released}, which delivery consumes and nothing else does; results that need a person's review
 * wait for it, kept until then, with a "review results" task; a person releases or retracts them. Every decision is in
 * the audit log, and a release moves the order to released. All of it inside the caller's transaction, its records
 * acknowledged by the broker before it commits.
 */
@Component
public class ResultRelease {

    /** The task kind a result waiting for review puts in the queue. */
    public static final String REVIEW_RESULTS = "review-results";
    /** Who released a result that needed no review. */
    static final String ON_ARRIVAL = "release-policy";

    private final ReleaseStore store;
    private final TenantDirectory tenants;
    private final KafkaTemplate<String, Object> kafka;
    private final AuditPublisher audit;
    private final Records records;
    private final LifecycleEvents lifecycle;

    ResultRelease(ReleaseStore store, TenantDirectory tenants, KafkaTemplate<String, Object> kafka, AuditPublisher audit,
                  Records records, LifecycleEvents lifecycle) {
        this.store = store;
        this.tenants = tenants;
        this.kafka = kafka;
        this.audit = audit;
        this.records = records;
        this.lifecycle = lifecycle;
    }

    /** A result that waits for review: the task to open for it. */
    public record Review(UUID reviewId, LabResultEvent result) {
    }

    /** What a poll's release decisions sent (to be awaited before commit) and the reviews to open tasks for. */
    public record Applied(List<CompletableFuture<?>> sent, List<Review> reviews) {
    }

    /** Decides each new result of a poll; results decided before (a redelivery) are left alone. */
    public Applied apply(List<LabResultEvent> results) {
        var decided = new ArrayList<ReleaseStore.Decided>();
        var decisions = new java.util.HashMap<UUID, ReleaseRules.Decision>();
        for (LabResultEvent result : results) {
            ReleasePolicy policy = tenants.find(result.getTenantId()).map(TenantConfiguration::release)
                    .orElse(ReleasePolicy.DEFAULT);
            var decision = ReleaseRules.decide(result, policy);
            decisions.put(result.getEventId(), decision);
            decided.add(new ReleaseStore.Decided(result.getEventId(),
                    decision == ReleaseRules.Decision.REVIEW ? reviewId(result.getEventId()) : null,
                    result.getTenantId(), EnvironmentNames.of(result.getEnvironment()), OrderKeys.orderNumber(result),
                    switch (decision) {
                        case RELEASE -> "released";
                        case REVIEW -> "awaiting-review";
                        case WITHHOLD -> "withheld";
                    }, result.getStatus().name().toLowerCase(Locale.ROOT),
                    decision == ReleaseRules.Decision.REVIEW ? bytes(result) : null,
                    decision == ReleaseRules.Decision.RELEASE ? ON_ARRIVAL : null, result.getSource().getReceivedAt(),
                    result.getEnteredBy()));
        }
        var recorded = store.decide(decided);
        var sent = new ArrayList<CompletableFuture<?>>();
        var reviews = new ArrayList<Review>();
        var released = new ArrayList<LabResultEvent>();
        for (LabResultEvent result : results) {
            if (!recorded.remove(result.getEventId())) {
                continue;
            }
            switch (decisions.get(result.getEventId())) {
                case RELEASE -> {
                    released.add(result);
                    sent.add(kafka.send(Topics.RESULTS_RELEASED, OrderKeys.of(result), result));
                    sent.add(audit.publish(decision("result.released", result, audit.actor(),
                            "released on arrival: " + result.getStatus().name().toLowerCase(Locale.ROOT)
                                    + " result, no review under the tenant's policy")));
                }
                case REVIEW -> reviews.add(new Review(reviewId(result.getEventId()), result));
                case WITHHOLD -> sent.add(audit.publish(decision("result.withheld", result, audit.actor(),
                        "preliminary result not released: the tenant's policy does not release preliminaries")));
            }
        }
        sent.addAll(lifecycle.publish(records.moveAll(released.stream().map(result -> new Records.Move(
                result.getTenantId(), EnvironmentNames.of(result.getEnvironment()), OrderKeys.orderNumber(result), Lifecycle::onRelease,
                OrderChangeCause.CANONICAL_EVENT, result.getEventId().toString(), result.getSource().getRawMessageId(),
                null, null, result.getSource().getReceivedAt())).toList())));
        return new Applied(sent, reviews);
    }

    /**
     * A person's decision on a result that waited for review: released (sent to the hospital) or retracted with a
     * reason. Nobody releases a result they entered themselves.
     */
    public void decide(String tenantId, UUID reviewId, boolean release, String actor, String reasonCode) {
        var row = store.forReview(tenantId, reviewId).orElseThrow(() -> Problems.of(HttpStatus.CONFLICT,
                "this result is no longer waiting for review"));
        if (!row.status().equals("awaiting-review")) {
            throw Problems.of(HttpStatus.CONFLICT, "this result is already " + row.status());
        }
        if (release && actor.equals(row.enteredBy())) {
            throw Problems.of(HttpStatus.FORBIDDEN, "you entered this result: another person must release it");
        }
        LabResultEvent result = row.result();
        var sent = new ArrayList<CompletableFuture<?>>();
        if (release) {
            sent.add(kafka.send(Topics.RESULTS_RELEASED, OrderKeys.of(result), result));
            sent.addAll(lifecycle.publish(records.move(tenantId, row.environment(), row.orderNumber(),
                    Lifecycle::onRelease, OrderChangeCause.STAFF_ACTION, reviewId.toString(), actor, null)
                    .stream().toList()));
        }
        sent.add(audit.publish(decision(release ? "result.released" : "result.retracted", result, actor,
                release ? "released after review" : "retracted after review, reason " + reasonCode)));
        store.decided(row.eventId(), release ? "released" : "retracted", actor, reasonCode);
        lifecycle.await(sent);
    }

    /** The review task's source id: one per result, distinct from the critical call's (which is the event id). */
    static UUID reviewId(UUID eventId) {
        return UUID.nameUUIDFromBytes(("review-results#" + eventId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The tests a result reports, as a task names them. */
    public static String tests(LabResultEvent result) {
        return result.getObservations().stream().map(o -> o.getCode().getCode()).collect(Collectors.joining(", "));
    }

    private static AuditDecision decision(String action, LabResultEvent result, String actor, String detail) {
        return new AuditDecision(action, AuditDecision.SUCCESS, result.getTenantId(), EnvironmentNames.of(result.getEnvironment()),
                result.getSource().getRawMessageId(), result.getEventId().toString(), detail, actor, Instant.now());
    }

    private static byte[] bytes(LabResultEvent result) {
        try {
            ByteBuffer buffer = result.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a result that was just decoded does not encode", e);
        }
    }
}
