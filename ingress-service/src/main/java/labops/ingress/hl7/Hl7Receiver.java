package labops.ingress.hl7;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import labops.ingress.endpoint.EndpointDirectory;
import labops.ingress.hl7.Hl7Answer.Verdict;
import labops.ingress.intake.ControlCharacters;
import labops.ingress.intake.MessageBodyFilter;
import labops.ingress.intake.RawIntake;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawMessage;
import labops.schemas.Er7;
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
 * topic. A copy (the same MSH-3, MSH-4 and MSH-10) is answered AA as the first was and published too; the normalizer
 * normalizes the first only. Every channel that carries HL7 v2 (MLLP, HTTP) comes through here and differs only in its
 * {@link Intake}.
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
    private final RawIntake intake;
    private final PartitionKeys keys;
    private final RecentControlIds controlIds;
    private final Clock clock = Clock.systemUTC();

    Hl7Receiver(EndpointDirectory directory, RawIntake intake, PartitionKeys keys, RecentControlIds controlIds) {
        this.directory = directory;
        this.intake = intake;
        this.keys = keys;
        this.controlIds = controlIds;
    }

    /**
     * A message that arrived on MLLP {@code port}: the port's endpoint names the tenant, environment and purpose.
     * Returns the answer, completed once the outcome is final; never completes exceptionally.
     */
    public CompletableFuture<Hl7Answer> receive(byte[] payload, int port, InetSocketAddress sender, Executor answerOn) {
        return onEndpoint(payload, port, sender, from -> receive(payload, from, answerOn));
    }

    /**
     * The head of an MLLP frame larger than {@code limit} bytes, the rest already discarded: refused with AR, and the
     * head is kept on the dead-letter topic so ops can see who sent what.
     */
    public CompletableFuture<Hl7Answer> receiveOversize(byte[] head, int limit, int port, InetSocketAddress sender) {
        return onEndpoint(head, port, sender, from -> receiveOversize(head, limit, from));
    }

    /** The head of a message larger than {@code limit} bytes from a sender its channel authenticated (HTTP). */
    public CompletableFuture<Hl7Answer> receiveOversize(byte[] head, int limit, Intake from) {
        return refuse(new Received(from, head, messageId()), readable(head), "AR", Hl7Acks.Error.APPLICATION_INTERNAL,
                Verdict.TOO_LARGE, "message " + MessageBodyFilter.overLimit(limit) + ": not stored, and sending it "
                        + "again will not help; send it in smaller messages");
    }

    private CompletableFuture<Hl7Answer> onEndpoint(byte[] payload, int port, InetSocketAddress sender,
                                                    Function<Intake, CompletableFuture<Hl7Answer>> then) {
        var endpoint = directory.byPort(port);
        if (endpoint.isEmpty()) {
            return answer("no-endpoint", null, payload, "no active Lab Ops endpoint on this port");
        }
        var from = new Intake(endpoint.get().tenantId(), endpoint.get().environment(), endpoint.get().purpose(),
                endpoint.get().accepts(), CHANNEL, endpoint.get().id().toString(), sender);
        if (!endpoint.get().admits(sender.getAddress().getHostAddress())) {
            return answer("source-not-allowed", from, payload, "source address not allowed on this endpoint");
        }
        return then.apply(from);
    }

    /**
     * A message whose channel has already authenticated the sender (HL7 over HTTP with a bearer token). The answer is
     * built on {@code answerOn} (the channel's own thread), never on Kafka's I/O thread.
     */
    public CompletableFuture<Hl7Answer> receive(byte[] payload, Intake from, Executor answerOn) {
        // ISO-8859-1 maps every byte to one char: the text is only read, the payload is published untouched.
        String text = new String(payload, StandardCharsets.ISO_8859_1);
        if (Hl7Batch.isBatch(text)) {
            return receiveBatch(Hl7Batch.split(payload, text), payload, from, answerOn);
        }
        var raw = new Received(from, payload, messageId());
        try {
            return decide(raw, text, answerOn);
        } catch (RuntimeException e) {
            log.error("event=hl7-receive-failed reason={}", e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(new Hl7Answer(acks.refuse(null, "AR",
                    Hl7Acks.Error.APPLICATION_INTERNAL, "internal error: message not stored; resend later"),
                    Verdict.RETRY_LATER));
        }
    }

    /**
     * A batch: each message checked, published and acknowledged as if sent alone (a refused one does not stop the
     * others), the answers gathered into one batch acknowledgement once every message's outcome is final.
     */
    private CompletableFuture<Hl7Answer> receiveBatch(Hl7Batch batch, byte[] payload, Intake from, Executor answerOn) {
        if (batch.messages().isEmpty()) {
            return refuse(new Received(from, payload, messageId()), null, "AR", Hl7Acks.Error.SEGMENT_SEQUENCE,
                    Verdict.BAD_CONTENT, "batch holds no message: every message in a batch starts with MSH");
        }
        List<CompletableFuture<Hl7Answer>> answers = batch.messages().stream()
                .map(message -> receive(message, from, answerOn)).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApplyAsync(done -> {
            List<Hl7Answer> each = answers.stream().map(CompletableFuture::join).toList();
            return new Hl7Answer(acks(from).batch(batch, each.stream().map(Hl7Answer::ack).toList()),
                    Hl7Answer.worst(each));
        }, answerOn);
    }

    private CompletableFuture<Hl7Answer> decide(Received raw, String text, Executor answerOn) {
        Er7Header header;
        try {
            header = Er7Header.read(text);
        } catch (Er7.Unreadable e) {
            boolean notHl7 = !text.startsWith("MSH");
            return notHl7
                    ? refuse(raw, null, "AR", Hl7Acks.Error.UNSUPPORTED_MESSAGE_TYPE, Verdict.NOT_ACCEPTED, e.getMessage())
                    : refuse(raw, null, "AE", Hl7Acks.Error.SEGMENT_SEQUENCE, Verdict.BAD_CONTENT, e.getMessage());
        }
        var closed = intake.closed(raw.from().tenantId(), raw.from().environment());
        if (closed.isPresent()) {
            return refuse(raw, header, "AR", Hl7Acks.Error.APPLICATION_INTERNAL, Verdict.NOT_ALLOWED, closed.get());
        }
        int control = ControlCharacters.first(text);
        if (control >= 0) {
            // Answered from the header without its control characters: the ACK never echoes them to the sender.
            return refuse(raw, readable(ControlCharacters.strip(text)), "AE", Hl7Acks.Error.DATA_TYPE_ERROR,
                    Verdict.BAD_CONTENT, header.fieldAt(text, control) + " holds "
                            + ControlCharacters.name(text.charAt(control)) + ", which HL7 v2 text cannot carry: escape "
                            + "it, or send binary data base64-encoded in an ED field");
        }
        if (header.component(9, 1).isEmpty()) {
            return refuse(raw, header, "AE", Hl7Acks.Error.REQUIRED_FIELD_MISSING, Verdict.BAD_CONTENT,
                    "MSH-9 (message type) is missing");
        }
        String controlId = header.controlId();
        if (controlId.isEmpty()) {
            return refuse(raw, header, "AE", Hl7Acks.Error.REQUIRED_FIELD_MISSING, Verdict.BAD_CONTENT,
                    "MSH-10 (message control id) is missing");
        }
        String type = header.messageType();
        List<String> accepted = raw.from().accepts();
        if (!accepted.contains(type)) {
            return refuse(raw, header, "AR", Hl7Acks.Error.UNSUPPORTED_MESSAGE_TYPE, Verdict.NOT_ACCEPTED,
                    "message type " + type + " is not accepted on this " + raw.from().purpose()
                            + " endpoint (accepted: " + String.join(", ", accepted) + ")");
        }
        for (String segment : Hl7MessageTypes.REQUIRED_SEGMENTS.getOrDefault(type, List.of())) {
            if (!header.segments().contains(segment)) {
                return refuse(raw, header, "AE", Hl7Acks.Error.SEGMENT_SEQUENCE, Verdict.BAD_CONTENT,
                        "required segment " + segment + " is missing from " + type);
            }
        }
        // MSH-3|MSH-4|MSH-10 names the message for the copy checks; a copy lands on the same partition.
        String senderId = header.component(3, 1) + "|" + header.component(4, 1) + "|" + controlId;
        if (controlIds.check(raw.from().tenantId() + "|" + raw.from().environment() + "|" + senderId, raw.payload())
                == RecentControlIds.Seen.OTHER_CONTENT) {
            return refuse(raw, header, "AE", Hl7Acks.Error.DUPLICATE_KEY, Verdict.BAD_CONTENT, "MSH-10 (message "
                    + "control id) was used by this sender within the duplicate window for a message with other "
                    + "content: not stored; send this message with its own MSH-10");
        }
        RawMessage record = raw.toRawMessage(senderId, clock);
        String subject = header.patientId() != null ? header.patientId() : controlId;
        return intake.storeEveryCopy(record, Topics.RAW_HL7V2, keys.of(raw.from().tenantId(), subject))
                .thenApplyAsync(outcome -> outcome instanceof RawIntake.NotStored notStored
                        ? new Hl7Answer(acks(raw.from()).refuse(header, "AR", Hl7Acks.Error.APPLICATION_INTERNAL,
                                "message not stored: " + notStored.reason() + "; resend later"), Verdict.RETRY_LATER)
                        : new Hl7Answer(acks(raw.from()).accept(header), Verdict.ACCEPTED), answerOn);
    }

    private CompletableFuture<Hl7Answer> refuse(Received raw, Er7Header header, String code, Hl7Acks.Error error,
                                                Verdict verdict, String reason) {
        var answer = new Hl7Answer(acks(raw.from()).refuse(header, code, error, reason), verdict);
        return intake.refuse(raw.toRawMessage(null, clock), Topics.RAW_HL7V2, reason).thenApply(kept -> answer);
    }

    /** A refusal before any tenant is known for sure (no endpoint, source not allowed): answered, not kept. */
    private CompletableFuture<Hl7Answer> answer(String outcome, Intake from, byte[] payload, String reason) {
        log.info("event=hl7-refused outcome={} tenant={}", outcome, from == null ? "-" : from.tenantId());
        intake.count(CHANNEL, from == null ? "unknown" : from.environment(), outcome);
        return CompletableFuture.completedFuture(new Hl7Answer(acks.refuse(readable(payload), "AR",
                Hl7Acks.Error.APPLICATION_INTERNAL, reason), Verdict.NOT_ALLOWED));
    }

    private Hl7Acks acks(Intake from) {
        return HTTP_CHANNEL.equals(from.channel()) ? httpAcks : acks;
    }

    /** The MSH if there is one to answer to; null otherwise (the ACK is then a bare one). */
    private static Er7Header readable(byte[] payload) {
        return readable(new String(payload, StandardCharsets.ISO_8859_1));
    }

    private static Er7Header readable(String text) {
        try {
            return Er7Header.read(text);
        } catch (Er7.Unreadable unreadable) {
            return null;
        }
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

    private record Received(Intake from, byte[] payload, UUID messageId) {

        RawMessage toRawMessage(String idempotencyKey, Clock clock) {
            var sender = from.sender();
            return new RawMessage(messageId, from.tenantId(), from.environment(), from.channel(), CONTENT_TYPE,
                    clock.instant(), idempotencyKey == null ? messageId.toString() : idempotencyKey, sender.getAddress().getHostAddress() + ":" + sender.getPort(),
                    from.credentialId(), payload);
        }
    }
}
