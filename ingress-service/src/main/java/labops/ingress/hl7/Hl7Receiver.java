package labops.ingress.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.NanoTimeGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import labops.ingress.endpoint.EndpointDirectory;
import labops.ingress.endpoint.IntakePolicy;
import labops.ingress.raw.RawMessage;
import labops.ingress.raw.RawPublisher;
import labops.schemas.Hl7MessageTypes;
import labops.schemas.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides what to answer an HL7 v2 sender. A message is acknowledged AA only after Kafka has it;
 * anything refused gets AE (bad content) or AR (not accepted here, or not storable now) with an ERR
 * segment, and is kept on the dead-letter topic when it can be attributed to a tenant. Every channel that carries
 * HL7 v2 (MLLP, HTTP) comes through here and differs only in how it names the sender ({@link Intake}).
 */
@Component
public class Hl7Receiver {

    private static final Logger log = LoggerFactory.getLogger(Hl7Receiver.class);
    static final String CHANNEL = "mllp";
    static final String HTTP_CHANNEL = "http-hl7";
    static final String CONTENT_TYPE = "application/hl7-v2";

    private final Parser parser;
    private final Acks acks;
    private final EndpointDirectory directory;
    private final IntakePolicy policy;
    private final RawPublisher publisher;
    private final MeterRegistry meters;
    private final Clock clock;

    Hl7Receiver(EndpointDirectory directory, IntakePolicy policy, RawPublisher publisher, MeterRegistry meters) {
        this.policy = policy;
        HapiContext hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        // ACK control ids: HAPI's default keeps a counter file in the working directory.
        hapi.getParserConfiguration().setIdGenerator(new NanoTimeGenerator());
        this.parser = hapi.getPipeParser();
        this.acks = new Acks(parser);
        this.directory = directory;
        this.publisher = publisher;
        this.meters = meters;
        this.clock = Clock.systemUTC();
    }

    /**
     * A message that arrived on MLLP {@code port}: the port's endpoint names the tenant, environment and purpose.
     * Returns the ACK to send back, completed once the outcome is final; never completes exceptionally.
     */
    public CompletableFuture<byte[]> receive(byte[] payload, int port, InetSocketAddress sender) {
        return answering(payload, text -> {
            var endpoint = directory.byPort(port);
            if (endpoint.isEmpty()) {
                return answer("no-endpoint", null, acks.refuse(text, AcknowledgmentCode.AR,
                        ErrorCode.APPLICATION_INTERNAL_ERROR, "no active Lab Ops endpoint on this port"));
            }
            var intake = new Intake(endpoint.get().tenantId(), endpoint.get().environment(), endpoint.get().purpose(),
                    CHANNEL, endpoint.get().id().toString(), sender);
            if (!endpoint.get().admits(sender.getAddress().getHostAddress())) {
                return answer("source-not-allowed", intake, acks.refuse(text, AcknowledgmentCode.AR,
                        ErrorCode.APPLICATION_INTERNAL_ERROR, "source address not allowed on this endpoint"));
            }
            return decide(payload, text, intake);
        });
    }

    /** A message whose channel has already authenticated the sender (HL7 over HTTP with a bearer token). */
    public CompletableFuture<byte[]> receive(byte[] payload, Intake intake) {
        return answering(payload, text -> decide(payload, text, intake));
    }

    private CompletableFuture<byte[]> answering(byte[] payload, Function<String, CompletableFuture<byte[]>> decision) {
        // ISO-8859-1 maps every byte to one char and back: the text is only read here, never re-encoded.
        String text = normalizeSegmentSeparators(new String(payload, StandardCharsets.ISO_8859_1));
        CompletableFuture<byte[]> answer;
        try {
            answer = decision.apply(text);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(failure -> {
            log.error("event=hl7-receive-failed reason={}", rootCause(failure).getClass().getSimpleName());
            return acks.refuse(text, AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR,
                    "internal error: message not stored; resend later");
        });
    }

    private CompletableFuture<byte[]> decide(byte[] payload, String text, Intake intake) {
        var raw = new Received(intake, payload, text, UUID.randomUUID());
        var refusal = policy.refusal(intake.tenantId(), intake.environment());
        if (refusal.isPresent()) {
            return refuse(raw, AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR, refusal.get());
        }

        if (!text.startsWith("MSH")) {
            return refuse(raw, AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                    "not an HL7 v2 message: it must start with an MSH segment");
        }
        Segment header;
        try {
            header = (Segment) acks.headerOnly(text).get("MSH");
        } catch (HL7Exception | RuntimeException e) {
            return refuse(raw, AcknowledgmentCode.AE, ErrorCode.SEGMENT_SEQUENCE_ERROR, "MSH segment cannot be read");
        }
        String type = field(header, 9, 1) + "^" + field(header, 9, 2);
        String controlId = field(header, 10, 1);
        if (field(header, 9, 1).isEmpty()) {
            return refuse(raw, AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "MSH-9 (message type) is missing");
        }
        if (controlId.isEmpty()) {
            return refuse(raw, AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING,
                    "MSH-10 (message control id) is missing");
        }
        List<String> accepted = Hl7MessageTypes.ACCEPTED.getOrDefault(intake.purpose(), List.of());
        if (!accepted.contains(type)) {
            return refuse(raw, AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                    "message type " + type + " is not accepted on this " + intake.purpose()
                            + " endpoint (accepted: " + String.join(", ", accepted) + ")");
        }
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception e) {
            return refuse(raw, AcknowledgmentCode.AE, e.getError(),
                    "message could not be parsed: " + e.getError().getMessage().toLowerCase());
        }
        String idempotencyKey = field(header, 3, 1) + "|" + field(header, 4, 1) + "|" + controlId;
        RawMessage record = raw.toRawMessage(idempotencyKey, clock);
        return publisher.publish(Topics.RAW_HL7V2, key(intake, message, controlId), record)
                .handle((stored, failure) -> {
                    if (failure != null) {
                        log.warn("event=raw-not-stored messageId={} tenant={} controlId={} reason={}", record.messageId(),
                                record.tenantId(), controlId, rootCause(failure).getClass().getSimpleName());
                        count("not-stored", intake);
                        return acks.refuse(message, AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR,
                                "message not stored: Lab Ops could not persist it durably; resend later");
                    }
                    log.info("event=raw-stored messageId={} tenant={} environment={} type={} controlId={}",
                            record.messageId(), record.tenantId(), record.environment(), type, controlId);
                    count("accepted", intake);
                    return acks.accept(message);
                });
    }

    private CompletableFuture<byte[]> refuse(Received raw, AcknowledgmentCode code, ErrorCode error, String reason) {
        RawMessage record = raw.toRawMessage(null, clock);
        log.info("event=hl7-refused messageId={} tenant={} ack={} reason=\"{}\"", record.messageId(), record.tenantId(),
                code, reason);
        byte[] ack = acks.refuse(raw.text, code, error, reason);
        count("refused", raw.intake());
        return publisher.reject(Topics.RAW_HL7V2, raw.intake().tenantId() + "|" + record.messageId(), record, reason)
                .handle((kept, failure) -> {
                    if (failure != null) {
                        log.warn("event=rejection-not-kept messageId={} tenant={}", record.messageId(), record.tenantId());
                    }
                    return ack;
                });
    }

    private CompletableFuture<byte[]> answer(String outcome, Intake intake, byte[] ack) {
        log.info("event=hl7-refused outcome={} tenant={}", outcome, intake == null ? "-" : intake.tenantId());
        count(outcome, intake);
        return CompletableFuture.completedFuture(ack);
    }

    /** One counter for every outcome; channel and environment are unknown when no endpoint owns the port. */
    private void count(String outcome, Intake intake) {
        meters.counter("labops.ingress.messages", "channel", intake == null ? CHANNEL : intake.channel(),
                "outcome", outcome, "environment", intake == null ? "unknown" : intake.environment()).increment();
    }

    /** Per-patient ordering inside a tenant: the first patient identifier, else the control id. */
    private static String key(Intake intake, Message message, String controlId) {
        String patientId;
        try {
            patientId = new Terser(message).get("/.PID-3-1");
        } catch (HL7Exception e) {
            patientId = null;
        }
        return intake.tenantId() + "|" + (patientId == null || patientId.isBlank() ? controlId : patientId);
    }

    private static String field(Segment segment, int field, int component) {
        try {
            String value = Terser.get(segment, field, 0, component, 1);
            return value == null ? "" : value.trim();
        } catch (HL7Exception e) {
            return "";
        }
    }

    /** Senders use CR (the standard), CRLF or LF between segments; HAPI wants CR. */
    static String normalizeSegmentSeparators(String text) {
        return text.replace("\r\n", "\r").replace('\n', '\r');
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private record Received(Intake intake, byte[] payload, String text, UUID messageId) {

        RawMessage toRawMessage(String idempotencyKey, Clock clock) {
            var sender = intake.sender();
            return new RawMessage(messageId, intake.tenantId(), intake.environment(), intake.channel(), CONTENT_TYPE,
                    clock.instant(), idempotencyKey == null ? messageId.toString() : idempotencyKey,
                    sender.getAddress().getHostAddress() + ":" + sender.getPort(), intake.credentialId(), payload);
        }
    }
}
