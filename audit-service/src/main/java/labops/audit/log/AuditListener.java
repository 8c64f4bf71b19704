package labops.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import labops.platform.audit.AuditDecision;
import labops.platform.kafka.BatchFailures;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what flows through Kafka into audit entries: raw receipt (raw topics), dead-lettering (their DLTs) and the
 * decisions services report (the normalizer's one per message among them). Reads ids and headers, not content;
 * appends each poll's records as one batch. Per message: {@code raw.received}, then {@code raw.normalized} naming its
 * events or {@code raw.dead-lettered}, then the decisions downstream (a task created, a delivery attempted).
 */
@Component
class AuditListener {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The chain of entries whose record named no tenant: for ops, visible to no tenant. */
    static final String UNATTRIBUTED = "-unattributed";

    private final AuditLog log;

    AuditListener(AuditLog log) {
        this.log = log;
    }

    @KafkaListener(topics = {
            Topics.RAW_HL7V2, Topics.RAW_FHIR, Topics.RAW_REST, Topics.RAW_CSV,
            Topics.RAW_HL7V2 + Topics.DEAD_LETTER_SUFFIX, Topics.RAW_FHIR + Topics.DEAD_LETTER_SUFFIX,
            Topics.RAW_REST + Topics.DEAD_LETTER_SUFFIX, Topics.RAW_CSV + Topics.DEAD_LETTER_SUFFIX,
            Topics.AUDIT_DECISIONS}, batch = "true")
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        // A record's position identifies its entry: a redelivered batch appends nothing new.
        BatchFailures.apply(records, batch -> log.append(batch.stream().map(record -> new AuditLog.Appended(
                UUID.nameUUIDFromBytes((record.topic() + "/" + record.partition() + "/" + record.offset())
                        .getBytes(StandardCharsets.UTF_8)),
                new AuditLog.Source(record.topic(), record.partition(), record.offset()), decision(record))).toList()));
    }

    /**
     * A record's entry. One without its tenant (a producer that skipped the header contract, a malformed decision) is
     * still logged, in the {@value #UNATTRIBUTED} chain with its position, rather than holding up every later entry.
     */
    static AuditDecision decision(ConsumerRecord<String, byte[]> record) {
        AuditDecision decision;
        try {
            decision = read(record);
        } catch (RuntimeException unreadable) {
            decision = null;
        }
        if (decision != null && decision.tenantId() != null && decision.action() != null && decision.outcome() != null
                && decision.actor() != null && decision.occurredAt() != null) {
            return decision;
        }
        return new AuditDecision("record.unattributed", AuditDecision.FAILURE, UNATTRIBUTED, null,
                decision == null ? null : decision.messageId(), decision == null ? null : decision.eventId(),
                "no tenant or incomplete decision at " + record.topic() + "-" + record.partition() + "@"
                        + record.offset(), "audit-service", Instant.ofEpochMilli(record.timestamp()));
    }

    private static AuditDecision read(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(Topics.AUDIT_DECISIONS)) {
            return JSON.readValue(record.value(), AuditDecision.class);
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            return new AuditDecision("raw.dead-lettered", "failure", header(record, RawHeaders.TENANT),
                    header(record, RawHeaders.ENVIRONMENT), header(record, RawHeaders.MESSAGE_ID), null,
                    header(record, DeadLetterHeaders.STAGE) + ": " + header(record, DeadLetterHeaders.REASON),
                    stage(record), at);
        }
        return new AuditDecision("raw.received", "success", header(record, RawHeaders.TENANT),
                header(record, RawHeaders.ENVIRONMENT), header(record, RawHeaders.MESSAGE_ID), null,
                "channel=" + header(record, RawHeaders.CHANNEL) + " topic=" + topic, "ingress-service", at);
    }

    private static String stage(ConsumerRecord<String, byte[]> record) {
        String stage = header(record, DeadLetterHeaders.STAGE);
        return stage == null ? "unknown" : stage + "-service";
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
