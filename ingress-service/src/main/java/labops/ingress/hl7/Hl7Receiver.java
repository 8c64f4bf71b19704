package labops.ingress.hl7;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import labops.ingress.duplicate.DuplicateGuard;
import labops.ingress.endpoint.EndpointDirectory;
import labops.ingress.endpoint.IntakePolicy;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawMessage;
import labops.ingress.raw.RawPublisher;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.schemas.Hl7MessageTypes;
import labops.schemas.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides what to answer an HL7 v2 sender, from a structural read of the message (MSH fields, segment names): the
 * tenant may send, MSH-9 and MSH-10 are there, the type is accepted on this endpoint, the required segments are
 * present. Then the exact bytes go to Kafka and the sender gets AA only once Kafka has them; anything refused gets
 * AE (bad content) or AR (not accepted here, or not storable now) with an ERR segment and is kept on the dead-letter
 * topic. Every channel that carries HL7 v2 (MLLP, HTTP) comes through here and differs only in its {@link Intake}.
 * Nothing here blocks: it runs on the channel's thread, and the answer is completed by Kafka's callback.
 */
@Component
public class Hl7Receiver {

    private static final Logger log = LoggerFactory.getLogger(Hl7Receiver.class);
    static final String CHANNEL = "mllp";
    static final String HTTP_CHANNEL = "http-hl7";
    static final String CONTENT_TYPE = "application/hl7-v2";

    private final Hl7Acks acks = new Hl7Acks();
    private final Hl7Acks httpAcks = Hl7Acks.alwaysAnswering();
    private final EndpointDirectory directory;
    private final IntakePolicy policy;
    private final RawPublisher publisher;
    private final PartitionKeys keys;
    private final DuplicateGuard duplicates;
    private final AuditPublisher audit;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    Hl7Receiver(EndpointDirectory directory, IntakePolicy policy, RawPublisher publisher, PartitionKeys keys,
                DuplicateGuard duplicates, AuditPublisher audit, MeterRegistry meters) {
        this.directory = directory;
        this.duplicates = duplicates;
        this.audit = audit;
        this.policy = policy;
        this.publisher = publisher;
        this.keys = keys;
        this.meters = meters;
    }

    /**
     * A message that arrived on MLLP {@code port}: the port's endpoint names the tenant, environment and purpose.
     * Returns the ACK to send back, completed once the outcome is final; never completes exceptionally.
     */
    public CompletableFuture<byte[]> receive(byte[] payload, int port, InetSocketAddress sender, Executor answerOn) {
        return onEndpoint(payload, port, sender, intake -> receive(payload, intake, answerOn));
    }

    /**
     * The head of an MLLP frame larger than {@code limit} bytes, the rest already discarded: refused with AR, and the
     * head is kept on the dead-letter topic so ops can see who sent what.
     */
    public CompletableFuture<byte[]> receiveOversize(byte[] head, int limit, int port, InetSocketAddress sender) {
        return onEndpoint(head, port, sender, intake -> {
            Er7Header header = readable(head);
            return refuse(new Received(intake, head, messageId()), header, "AR", Hl7Acks.Error.APPLICATION_INTERNAL,
                    "message larger than " + limit + " bytes: not stored; send it in smaller messages");
        });
    }

    private CompletableFuture<byte[]> onEndpoint(byte[] payload, int port, InetSocketAddress sender,
                                                 Function<Intake, CompletableFuture<byte[]>> then) {
        var endpoint = directory.byPort(port);
        if (endpoint.isEmpty()) {
            return answer("no-endpoint", null, payload, "no active Lab Ops endpoint on this port");
        }
        var intake = new Intake(endpoint.get().tenantId(), endpoint.get().environment(), endpoint.get().purpose(),
                endpoint.get().accepts(), CHANNEL, endpoint.get().id().toString(), sender);
        if (!endpoint.get().admits(sender.getAddress().getHostAddress())) {
            return answer("source-not-allowed", intake, payload, "source address not allowed on this endpoint");
        }
        return then.apply(intake);
    }

    /**
     * A message whose channel has already authenticated the sender (HL7 over HTTP with a bearer token). The answer is
     * built on {@code answerOn} (the channel's own thread), never on Kafka's I/O thread.
     */
    public CompletableFuture<byte[]> receive(byte[] payload, Intake intake, Executor answerOn) {
        // ISO-8859-1 maps every byte to one char: the text is only read, the payload is published untouched.
        String text = new String(payload, StandardCharsets.ISO_8859_1);
        if (Hl7Batch.isBatch(text)) {
            return receiveBatch(Hl7Batch.split(payload, text), payload, intake, answerOn);
        }
        var raw = new Received(intake, payload, messageId());
        try {
            return decide(raw, text, answerOn);
        } catch (RuntimeException e) {
            log.error("event=hl7-receive-failed reason={}", e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(acks.refuse(null, "AR", Hl7Acks.Error.APPLICATION_INTERNAL,
                    "internal error: message not stored; resend later"));
        }
    }

    /**
     * A batch: each message checked, published and acknowledged as if sent alone (a refused one does not stop the
     * others), the answers gathered into one batch acknowledgement once every message's outcome is final.
     */
    private CompletableFuture<byte[]> receiveBatch(Hl7Batch batch, byte[] payload, Intake intake, Executor answerOn) {
        if (batch.messages().isEmpty()) {
            return refuse(new Received(intake, payload, messageId()), null, "AR", Hl7Acks.Error.SEGMENT_SEQUENCE,
                    "batch holds no message: every message in a batch starts with MSH");
        }
        List<CompletableFuture<byte[]>> answers = batch.messages().stream()
                .map(message -> receive(message, intake, answerOn)).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApplyAsync(
                done -> acks(intake).batch(batch, answers.stream().map(CompletableFuture::join).toList()), answerOn);
    }

    private CompletableFuture<byte[]> decide(Received raw, String text, Executor answerOn) {
        Er7Header header;
        try {
            header = Er7Header.read(text);
        } catch (Er7Header.Unreadable e) {
            boolean notHl7 = !text.startsWith("MSH");
            return refuse(raw, null, notHl7 ? "AR" : "AE",
                    notHl7 ? Hl7Acks.Error.UNSUPPORTED_MESSAGE_TYPE : Hl7Acks.Error.SEGMENT_SEQUENCE, e.getMessage());
        }
        var refusal = policy.refusal(raw.intake().tenantId(), raw.intake().environment());
        if (refusal.isPresent()) {
            return refuse(raw, header, "AR", Hl7Acks.Error.APPLICATION_INTERNAL, refusal.get());
        }
        if (header.component(9, 1).isEmpty()) {
            return refuse(raw, header, "AE", Hl7Acks.Error.REQUIRED_FIELD_MISSING, "MSH-9 (message type) is missing");
        }
        String controlId = header.controlId();
        if (controlId.isEmpty()) {
            return refuse(raw, header, "AE", Hl7Acks.Error.REQUIRED_FIELD_MISSING,
                    "MSH-10 (message control id) is missing");
        }
        String type = header.messageType();
        List<String> accepted = raw.intake().accepts();
        if (!accepted.contains(type)) {
            return refuse(raw, header, "AR", Hl7Acks.Error.UNSUPPORTED_MESSAGE_TYPE, "message type " + type
                    + " is not accepted on this " + raw.intake().purpose() + " endpoint (accepted: "
                    + String.join(", ", accepted) + ")");
        }
        for (String segment : Hl7MessageTypes.REQUIRED_SEGMENTS.getOrDefault(type, List.of())) {
            if (!header.segments().contains(segment)) {
                return refuse(raw, header, "AE", Hl7Acks.Error.SEGMENT_SEQUENCE,
                        "required segment " + segment + " is missing from " + type);
            }
        }
        String idempotencyKey = header.component(3, 1) + "|" + header.component(4, 1) + "|" + controlId;
        var seen = new DuplicateGuard.Key(raw.intake().tenantId(), raw.intake().environment(), idempotencyKey,
                raw.messageId());
        return duplicates.claim(seen).handle((claim, failure) -> {
            if (failure != null) {
                return CompletableFuture.completedFuture(notStored(raw, header, "not-stored",
                        "message not stored: Lab Ops cannot check it for duplicates right now; resend later"));
            }
            if (claim instanceof DuplicateGuard.Duplicate duplicate) {
                return duplicate(raw, header, duplicate.original(), answerOn);
            }
            if (claim instanceof DuplicateGuard.InProgress) {
                return CompletableFuture.completedFuture(notStored(raw, header, "in-progress",
                        "a message with this MSH-10 from this sender is being stored right now; resend later"));
            }
            return publish(raw, header, seen, answerOn);
        }).thenCompose(answer -> answer);
    }

    private CompletableFuture<byte[]> publish(Received raw, Er7Header header, DuplicateGuard.Key seen,
                                              Executor answerOn) {
        RawMessage record = raw.toRawMessage(seen.idempotencyKey(), clock);
        String subject = header.patientId() != null ? header.patientId() : header.controlId();
        String key = keys.of(raw.intake().tenantId(), subject);
        return publisher.publish(Topics.RAW_HL7V2, key, record).handleAsync((stored, failure) -> {
            if (failure != null) {
                duplicates.release(seen);
                log.warn("event=raw-not-stored messageId={} tenant={} reason={}", record.messageId(), record.tenantId(),
                        rootCause(failure).getClass().getSimpleName());
                return notStored(raw, header, "not-stored",
                        "message not stored: Lab Ops could not persist it durably; resend later");
            }
            duplicates.stored(seen);
            if (log.isDebugEnabled()) {
                log.debug("event=raw-stored messageId={} tenant={} type={}", record.messageId(), record.tenantId(),
                        header.messageType());
            }
            count("accepted", raw.intake());
            return acks(raw.intake()).accept(header);
        }, answerOn);
    }

    /**
     * AR for a message Lab Ops did not take in and the sender should resend: counted under {@code outcome}, not kept
     * (there is nothing wrong with it to show ops).
     */
    private byte[] notStored(Received raw, Er7Header header, String outcome, String reason) {
        count(outcome, raw.intake());
        return acks(raw.intake()).refuse(header, "AR", Hl7Acks.Error.APPLICATION_INTERNAL, reason);
    }

    /**
     * A copy of a message already in Kafka: acknowledged as the first was, published nowhere, counted, and recorded in
     * the audit trail against the original.
     */
    private CompletableFuture<byte[]> duplicate(Received raw, Er7Header header, UUID original, Executor answerOn) {
        count("duplicate", raw.intake());
        var decision = new AuditDecision("raw.duplicate", AuditDecision.SUCCESS, raw.intake().tenantId(),
                raw.intake().environment(), original.toString(), null, "copy " + raw.messageId() + " of MSH-10 "
                + header.controlId() + " from " + header.component(3, 1) + "^" + header.component(4, 1)
                + " acknowledged, not published", audit.actor(), clock.instant());
        return audit.publish(decision).handleAsync((recorded, failure) -> {
            if (failure != null) {
                log.warn("event=duplicate-not-audited messageId={} tenant={}", original, raw.intake().tenantId());
            }
            return acks(raw.intake()).accept(header);
        }, answerOn);
    }

    private CompletableFuture<byte[]> refuse(Received raw, Er7Header header, String code, Hl7Acks.Error error,
                                             String reason) {
        RawMessage record = raw.toRawMessage(null, clock);
        log.info("event=hl7-refused messageId={} tenant={} ack={} reason=\"{}\"", record.messageId(), record.tenantId(),
                code, reason);
        byte[] ack = acks(raw.intake()).refuse(header, code, error, reason);
        count("refused", raw.intake());
        return publisher.reject(Topics.RAW_HL7V2, raw.intake().tenantId() + "|" + record.messageId(), record, reason)
                .handle((kept, failure) -> {
                    if (failure != null) {
                        log.warn("event=rejection-not-kept messageId={} tenant={}", record.messageId(), record.tenantId());
                    }
                    return ack;
                });
    }

    /** A refusal before any tenant is known for sure (no endpoint, source not allowed): answered, not kept. */
    private CompletableFuture<byte[]> answer(String outcome, Intake intake, byte[] payload, String reason) {
        log.info("event=hl7-refused outcome={} tenant={}", outcome, intake == null ? "-" : intake.tenantId());
        count(outcome, intake);
        return CompletableFuture.completedFuture(acks.refuse(readable(payload), "AR", Hl7Acks.Error.APPLICATION_INTERNAL,
                reason));
    }

    private Hl7Acks acks(Intake intake) {
        return HTTP_CHANNEL.equals(intake.channel()) ? httpAcks : acks;
    }

    /** The MSH if there is one to answer to; null otherwise (the ACK is then a bare one). */
    private static Er7Header readable(byte[] payload) {
        try {
            return Er7Header.read(new String(payload, StandardCharsets.ISO_8859_1));
        } catch (Er7Header.Unreadable unreadable) {
            return null;
        }
    }

    /** One counter per channel, outcome and environment; the environment is unknown when no endpoint owns the port. */
    private void count(String outcome, Intake intake) {
        String channel = intake == null ? CHANNEL : intake.channel();
        String environment = intake == null ? "unknown" : intake.environment();
        counters.computeIfAbsent(channel + '|' + outcome + '|' + environment, id -> meters.counter(
                "labops.ingress.messages", "channel", channel, "outcome", outcome, "environment", environment))
                .increment();
    }

    /**
     * A random (version 4) UUID from the thread's own generator: unique, and without the lock every thread shares in
     * {@link UUID#randomUUID()}; it names the message, it guards nothing.
     */
    static UUID messageId() {
        var random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private record Received(Intake intake, byte[] payload, UUID messageId) {

        RawMessage toRawMessage(String idempotencyKey, Clock clock) {
            var sender = intake.sender();
            return new RawMessage(messageId, intake.tenantId(), intake.environment(), intake.channel(), CONTENT_TYPE,
                    clock.instant(), idempotencyKey == null ? messageId.toString() : idempotencyKey,
                    sender.getAddress().getHostAddress() + ":" + sender.getPort(), intake.credentialId(), payload);
        }
    }
}
