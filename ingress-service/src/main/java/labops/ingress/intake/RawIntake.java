package labops.ingress.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import labops.ingress.duplicate.DuplicateGuard;
import labops.ingress.endpoint.IntakePolicy;
import labops.ingress.raw.RawMessage;
import labops.ingress.raw.RawPublisher;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The channel-neutral intake: what happens to a message once its channel has read what it needs from it. The tenant
 * environment must be open; a message whose answer depends on whether it is a copy (FHIR's 200 or 201, the REST
 * channel's first answer, an import row) is claimed against copies across every ingress instance by its sender's id
 * (an {@code Idempotency-Key}, a conditional create); the exact bytes go to the format's raw topic; the outcome is
 * final only once Kafka acknowledged the write. A copy of a stored message is published nowhere, counted and
 * recorded in the audit trail against the original. HL7 v2 answers a copy as it answered the first, so its copies
 * are published and left to the normalizer ({@link #storeEveryCopy}). A refusal is kept on the raw topic's
 * dead-letter topic with its reason.
 *
 * <p>Each channel (MLLP, HL7 over HTTP, FHIR, ...) maps an {@link Outcome} to its protocol's answer and nothing more.
 * Nothing here blocks: futures complete on Kafka's or the duplicate guard's threads, so a channel answers on its own.
 */
@Component
public class RawIntake {

    private static final Logger log = LoggerFactory.getLogger(RawIntake.class);

    /** What became of a message offered for storage. */
    public sealed interface Outcome {
    }

    /** In Kafka under {@code messageId}: the sender may be told so. */
    public record Stored(UUID messageId) implements Outcome {
    }

    /** A copy of the message stored as {@code original}: answered as the first was, not published again. */
    /**
     * Not stored: the sender's id was used within the duplicate window for other content ({@code original}). Kept on the
     * dead-letter topic with {@link #reason()}, which the channel tells the sender.
     */
    public record Conflict(UUID original, String reason) implements Outcome {
    }

    public record Duplicate(UUID original) implements Outcome {
    }

    /** Nothing stored, nothing wrong with the message: the sender should send it again later. {@code reason} says why. */
    public record NotStored(String reason) implements Outcome {
    }

    private final IntakePolicy policy;
    private final RawPublisher publisher;
    private final DuplicateGuard duplicates;
    private final AuditPublisher audit;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final AccessRefusals refusals;

    public RawIntake(IntakePolicy policy, RawPublisher publisher, DuplicateGuard duplicates,
                     AuditPublisher audit, MeterRegistry meters, AccessRefusals refusals) {
        this.refusals = refusals;
        this.policy = policy;
        this.publisher = publisher;
        this.duplicates = duplicates;
        this.audit = audit;
        this.meters = meters;
    }

    /** Why the tenant environment may not send anything now (safe to tell the sender), or empty when it may. */
    public Optional<String> closed(String tenantId, String environment) {
        return policy.refusal(tenantId, environment);
    }

    /**
     * Stores {@code message} on {@code topic} under {@code key}. With an idempotency key, a copy already stored is
     * answered as a {@link Duplicate}, audited as {@code "copy ... of " + copyOf}; {@code copyOf} names the sender's id
     * for people and must hold no patient data. Never completes exceptionally.
     */
    public CompletableFuture<Outcome> store(RawMessage message, String topic, String key, String copyOf) {
        if (message.idempotencyKey() == null) {
            return publish(message, topic, key, null);
        }
        var seen = new DuplicateGuard.Key(message.tenantId(), message.environment(), message.idempotencyKey(),
                message.messageId(), sha256(message.payload()));
        return duplicates.claim(seen).handle((claim, failure) -> {
            if (failure != null) {
                return CompletableFuture.completedFuture(notStored(message, "not-stored",
                        "Lab Ops cannot check it for duplicates right now"));
            }
            if (claim instanceof DuplicateGuard.Duplicate duplicate) {
                return duplicate(message, duplicate.original(), copyOf);
            }
            if (claim instanceof DuplicateGuard.Conflict conflict) {
                String reason = copyOf + " was used within the duplicate window for other content (Lab Ops message "
                        + conflict.original() + "); nothing stored: send a new one for a new message";
                return refuse(message, topic, reason).thenApply(kept -> (Outcome) new Conflict(conflict.original(),
                        reason));
            }
            if (claim instanceof DuplicateGuard.InProgress) {
                return CompletableFuture.completedFuture(notStored(message, "in-progress",
                        "a copy of it is being stored right now"));
            }
            return publish(message, topic, key, seen);
        }).thenCompose(outcome -> outcome);
    }

    /**
     * Stores {@code message} on {@code topic} under {@code key} without asking the duplicate guard, for a channel that
     * answers a copy exactly as it answered the first (HL7 v2: AA either way). The answer then waits on Kafka alone,
     * no database round trip on the socket path; the normalizer recognises the copy by its sender's id and normalizes
     * the first only (audited there as {@code raw.duplicate}). {@link Stored} or {@link NotStored}; never completes
     * exceptionally.
     */
    public CompletableFuture<Outcome> storeEveryCopy(RawMessage message, String topic, String key) {
        return publish(message, topic, key, null);
    }

    /**
     * The outcome, for a channel whose thread may wait for it (a servlet thread, never an event loop): bounded by the
     * producer's delivery timeout; a wait cut short is {@link NotStored}.
     */
    public static Outcome await(CompletableFuture<Outcome> outcome) {
        try {
            return outcome.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NotStored("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new NotStored("Lab Ops could not persist it in time");
        }
    }

    private CompletableFuture<Outcome> publish(RawMessage message, String topic, String key, DuplicateGuard.Key seen) {
        return publisher.publish(topic, key, message).handle((stored, failure) -> {
            // Runs on the producer's I/O thread: counters and a queued mark only.
            if (failure != null) {
                if (seen != null) {
                    duplicates.release(seen);
                }
                log.warn("event=raw-not-stored messageId={} tenant={} reason={}", message.messageId(),
                        message.tenantId(), rootCause(failure).getClass().getSimpleName());
                return notStored(message, "not-stored",
                        "Lab Ops could not persist it durably");
            }
            if (seen != null) {
                duplicates.stored(seen);
            }
            if (log.isDebugEnabled()) {
                log.debug("event=raw-stored messageId={} tenant={} channel={}", message.messageId(), message.tenantId(),
                        message.channel());
            }
            count(message.channel(), message.environment(), "accepted");
            return new Stored(message.messageId());
        });
    }

    private Outcome notStored(RawMessage message, String outcome, String reason) {
        count(message.channel(), message.environment(), outcome);
        return new NotStored(reason);
    }

    private CompletableFuture<Outcome> duplicate(RawMessage message, UUID original, String copyOf) {
        count(message.channel(), message.environment(), "duplicate");
        var decision = new AuditDecision("raw.duplicate", AuditDecision.SUCCESS, message.tenantId(),
                message.environment(), original.toString(), null, "copy " + message.messageId() + " of " + copyOf
                + " acknowledged, not published", audit.actor(), clock.instant());
        return audit.publish(decision).handle((recorded, failure) -> {
            if (failure != null) {
                log.warn("event=duplicate-not-audited messageId={} tenant={}", original, message.tenantId());
            }
            return new Duplicate(original);
        });
    }

    /**
     * Keeps a refused message on {@code topic}'s dead-letter topic with the reason, where ops look, and counts it.
     * Completes once kept (or once keeping it failed, which is logged): the channel answers either way.
     */
    public CompletableFuture<Void> refuse(RawMessage message, String topic, String reason) {
        log.info("event=refused channel={} messageId={} tenant={} reason=\"{}\"", message.channel(),
                message.messageId(), message.tenantId(), reason);
        count(message.channel(), message.environment(), "refused");
        return publisher.reject(topic, message.tenantId() + "|" + message.messageId(), message, reason)
                .handle((kept, failure) -> {
                    if (failure != null) {
                        log.warn("event=rejection-not-kept messageId={} tenant={}", message.messageId(),
                                message.tenantId());
                    }
                    return null;
                });
    }

    /**
     * A sender turned away before its message was read (no token, a bad one, another tenant's, the wrong environment):
     * nothing of the message is kept, but the tenant whose endpoint it was aimed at finds the attempts in its audit
     * trail, aggregated per source and minute ({@link AccessRefusals}). Attempts on a tenant Lab Ops does not know
     * are only counted (no chain is made up for them).
     */
    public void accessRefused(String channel, String tenantId, String environment, String sender, String reason) {
        count(channel, environment == null ? "unknown" : environment, "access-refused");
        if (tenantId == null || policy.receiveOrders(tenantId, environment).isEmpty()) {
            return;
        }
        refusals.refused(tenantId, environment, channel, sender, reason);
    }

    /** One counter per channel, outcome and environment ({@code unknown} when no tenant could be told). */
    public void count(String channel, String environment, String outcome) {
        counters.computeIfAbsent(channel + '|' + outcome + '|' + environment, id -> meters.counter(
                "labops.ingress.messages", "channel", channel, "outcome", outcome, "environment", environment))
                .increment();
    }

    /** The SHA-256 of {@code content}, hex: how ingress tells a copy from another message under the same id. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
