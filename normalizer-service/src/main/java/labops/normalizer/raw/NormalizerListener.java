package labops.normalizer.raw;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.ProfileStore;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.audit.NormalizedEvents;
import labops.schemas.CanonicalHeaders;
import labops.platform.kafka.ConsumerFailures;
import labops.platform.kafka.DeadLetter;
import labops.schemas.DeadLetterHeaders.Code;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Raw messages in, canonical events out: one batch per poll, one Kafka transaction per batch holding the events, the
 * dead-letter copies of the batch's unmappable messages, one {@code raw.normalized} audit decision per message naming
 * its events, and the consumed offsets. A message that cannot be mapped is
 * dead-lettered on its own, in the same transaction, with the reason; the rest of the batch goes on. Anything that
 * stops the batch as a whole (the registry, broker or database unreachable) rolls it back, to be retried with
 * back-off. A copy of a message normalized before ({@link RawCopies}) publishes only its {@code raw.duplicate} audit
 * decision.
 */
@Component
class NormalizerListener {

    private static final Logger log = LoggerFactory.getLogger(NormalizerListener.class);
    /** The dead-letter stage the normalizer's refusals name (workflow opens a fix-order-data task for these). */
    static final String STAGE = "normalizer";

    private final Map<String, RawMessageNormalizer> byTopic;
    private final KafkaTemplate<String, Object> kafka;
    private final ProfileStore profiles;
    private final Map<String, Counter> normalized;
    private final Map<String, Counter> unmappable;
    private final Map<String, Counter> duplicate;
    private final RawCopies copies;
    private final AuditPublisher audit;

    NormalizerListener(List<RawMessageNormalizer> normalizers, KafkaTemplate<String, Object> kafka,
                       ProfileStore profiles, RawCopies copies, AuditPublisher audit, MeterRegistry meters) {
        this.byTopic = normalizers.stream().collect(Collectors.toMap(RawMessageNormalizer::topic, Function.identity()));
        this.kafka = kafka;
        this.profiles = profiles;
        this.normalized = counters(meters, "normalized");
        this.unmappable = counters(meters, "unmappable");
        this.duplicate = counters(meters, "duplicate");
        this.copies = copies;
        this.audit = audit;
    }

    /** One counter per raw topic, tagged with its format ({@code labops.raw.hl7v2}: {@code hl7v2}). */
    private Map<String, Counter> counters(MeterRegistry meters, String outcome) {
        return byTopic.keySet().stream().collect(Collectors.toMap(Function.identity(), topic -> meters.counter(
                "labops.normalizer.messages", "format", topic.substring(topic.lastIndexOf('.') + 1), "outcome",
                outcome)));
    }

    @KafkaListener(topics = {Topics.RAW_HL7V2, Topics.RAW_FHIR, Topics.RAW_REST, Topics.RAW_CSV}, batch = "true")
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        var readable = new ArrayList<Readable>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                readable.add(new Readable(record, RawRecord.of(record.key(), record.headers(), record.value())));
            } catch (UnmappableMessageException e) {
                deadLetter(record, Code.UNMAPPABLE, e.getMessage());
            }
        }
        Map<Integer, RawCopies.Seen> seen = copies(readable);
        for (int i = 0; i < readable.size(); i++) {
            ConsumerRecord<String, byte[]> record = readable.get(i).record();
            RawRecord raw = readable.get(i).raw();
            RawCopies.Seen before = seen.get(i);
            if (before instanceof RawCopies.Copy copy) {
                copy(record, raw, copy.original());
                continue;
            }
            if (before instanceof RawCopies.Conflict) {
                deadLetter(record, Code.CONFLICTING_COPY, senderId(record) + " was used within the duplicate window "
                        + "by a message with other content: not a copy, not normalized; send it with its own id");
                continue;
            }
            List<CanonicalEvent> events;
            try {
                events = byTopic.get(record.topic()).normalize(raw, profiles.inForce(raw.tenantId(), raw.environment()));
            } catch (UnmappableMessageException e) {
                deadLetter(record, Code.UNMAPPABLE, e.getMessage());
                continue;
            } catch (RuntimeException e) {
                // An outage (the profile store unreachable) rolls the batch back, to be read again once it is over;
                // anything else is this message's alone (a mapper bug): kept with the reason, like unmappable.
                if (ConsumerFailures.isOutage(e)) {
                    throw e;
                }
                deadLetter(record, ConsumerFailures.code(e), ConsumerFailures.reason(e));
                continue;
            }
            var made = new ArrayList<NormalizedEvents.Event>(events.size());
            for (CanonicalEvent event : events) {
                var named = new NormalizedEvents.Event(event.value().getSchema().getName(),
                        event.value().get(event.value().getSchema().getField("eventId").pos()).toString());
                kafka.send(canonical(event, named, record));
                made.add(named);
            }
            // One decision, one entry: the message and the events it became, in the batch's transaction.
            audit.publish(NormalizedEvents.decision(raw.tenantId(), environment(raw), raw.messageId(), made,
                    audit.actor()));
            normalized.get(record.topic()).increment();
        }
    }

    /**
     * The batch's copies and conflicts, in one statement. Should that statement fail for what a message holds rather
     * than an outage, each message is checked alone and the ones whose check fails are dead-lettered and taken out of
     * {@code readable}: one message never holds up its batch.
     */
    private Map<Integer, RawCopies.Seen> copies(List<Readable> readable) {
        try {
            return copies.in(readable.stream().map(Readable::sent).toList());
        } catch (RuntimeException batchFailure) {
            if (ConsumerFailures.isOutage(batchFailure)) {
                throw batchFailure;
            }
        }
        var checked = new ArrayList<Readable>(readable.size());
        var seen = new HashMap<Integer, RawCopies.Seen>();
        for (Readable one : readable) {
            try {
                copies.in(List.of(one.sent())).values().forEach(s -> seen.put(checked.size(), s));
                checked.add(one);
            } catch (RuntimeException e) {
                if (ConsumerFailures.isOutage(e)) {
                    throw e;
                }
                deadLetter(one.record(), ConsumerFailures.code(e), "the copy check failed: " + ConsumerFailures.reason(e));
            }
        }
        readable.clear();
        readable.addAll(checked);
        return seen;
    }

    /** What the sender's id of {@code record} is called in its format. */
    private static String senderId(ConsumerRecord<String, byte[]> record) {
        return record.topic().equals(Topics.RAW_HL7V2) ? "MSH-10 (message control id, with MSH-3 and MSH-4)"
                : "the Idempotency-Key";
    }

    /** A raw record read, with what the copy check needs from its headers and payload. */
    private record Readable(ConsumerRecord<String, byte[]> record, RawRecord raw) {

        RawCopies.Sent sent() {
            var key = record.headers().lastHeader(RawHeaders.IDEMPOTENCY_KEY);
            return RawCopies.Sent.of(raw.tenantId(), environment(raw),
                    key == null ? null : new String(key.value(), StandardCharsets.UTF_8), raw.messageId(),
                    record.value());
        }
    }

    private static String environment(RawRecord raw) {
        return raw.environment().name().toLowerCase(Locale.ROOT);
    }

    /**
     * A copy of a message normalized before: nothing published but its audit decision, in the batch's transaction,
     * against the original (the copy's own id is named, no patient data).
     */
    private void copy(ConsumerRecord<String, byte[]> record, RawRecord raw, String original) {
        duplicate.get(record.topic()).increment();
        audit.publish(new AuditDecision("raw.duplicate", AuditDecision.SUCCESS, raw.tenantId(), environment(raw),
                original, null, "copy " + raw.messageId()
                + " received over " + raw.channel() + ": acknowledged as the original was, not normalized again",
                audit.actor(), Instant.now()));
    }

    /** An event with the canonical header contract, so routing and auditing consumers need not decode it. */
    private static ProducerRecord<String, Object> canonical(CanonicalEvent event, NormalizedEvents.Event made,
                                                            ConsumerRecord<String, byte[]> raw) {
        var headers = new RecordHeaders();
        copy(raw, headers, CanonicalHeaders.TENANT);
        copy(raw, headers, CanonicalHeaders.ENVIRONMENT);
        copy(raw, headers, CanonicalHeaders.RAW_MESSAGE_ID);
        headers.add(CanonicalHeaders.EVENT_ID, bytes(made.eventId()));
        headers.add(CanonicalHeaders.EVENT_TYPE, bytes(made.type()));
        return new ProducerRecord<>(event.topic(), null, event.key(), event.value(), headers);
    }

    private static void copy(ConsumerRecord<String, byte[]> raw, RecordHeaders headers, String name) {
        var header = raw.headers().lastHeader(name);
        if (header != null) {
            headers.add(name, header.value());
        }
    }

    /** The raw message exactly as received, its original headers, and where and why it failed. */
    private void deadLetter(ConsumerRecord<String, byte[]> record, Code code, String reason) {
        var headers = DeadLetter.of(record, code, reason, STAGE, Instant.now(), 1)
                .writeTo(new RecordHeaders(record.headers().toArray()));
        kafka.send(new ProducerRecord<>(Topics.deadLetterOf(record.topic()), null, record.key(), record.value(), headers));
        unmappable.get(record.topic()).increment();
        log.info("event=unmappable topic={} partition={} offset={} code={} reason=\"{}\"", record.topic(),
                record.partition(), record.offset(), code.wire(), reason);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
