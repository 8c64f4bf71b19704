package labops.tenant.golive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import labops.platform.audit.AuditDecision;
import labops.platform.kafka.BatchFailures;
import labops.schemas.AuditHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.tenant.connection.Direction;
import labops.tenant.connection.Environments;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notices the first time each direction works in sandbox, as evidence for going live: a message accepted onto a raw
 * topic (receive orders) and a delivery the hospital acknowledged (send results). Reads headers and decisions only,
 * never payloads; remembers what it has seen so the database is touched once per tenant and direction, and skips a
 * record whose tenant already has that direction's evidence, or a decision that is no delivery, by its headers,
 * without parsing it.
 *
 * <p>It reads every message every tenant sends, so it fetches in bulk: the broker answers once a megabyte is waiting or
 * after a second, and offsets are committed once per poll. Fetching each record as it arrived cost the broker a fetch
 * and an offset commit per message, on the cores ingress needs at line rate; a second's delay is nothing to a go-live
 * checklist.
 */
@Component
class SandboxEvidenceListener {

    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final GoLiveRepository goLive;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    SandboxEvidenceListener(GoLiveRepository goLive) {
        this.goLive = goLive;
    }

    @KafkaListener(id = "sandbox-evidence", groupId = "tenant-sandbox-evidence",
            topics = {Topics.RAW_HL7V2, Topics.RAW_FHIR, Topics.RAW_REST, Topics.RAW_CSV, Topics.AUDIT_DECISIONS},
            batch = "true", properties = {
                    "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                    "fetch.min.bytes=1048576", "fetch.max.wait.ms=1000"})
    void onRecords(List<ConsumerRecord<String, byte[]>> records) {
        BatchFailures.apply(records, batch -> batch.forEach(this::onRecord));
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (record.topic().equals(Topics.AUDIT_DECISIONS)) {
            String tenant = header(record, AuditHeaders.TENANT);
            String action = header(record, AuditHeaders.ACTION);
            if ((tenant != null && known.contains(key(tenant, Direction.SEND_RESULTS)))
                    || (action != null && !action.equals("delivery.attempted"))) {
                return;
            }
            var decision = JSON.readValue(record.value(), AuditDecision.class);
            if ("delivery.attempted".equals(decision.action()) && AuditDecision.SUCCESS.equals(decision.outcome())
                    && Environments.SANDBOX.equals(decision.environment())) {
                seen(decision.tenantId(), Direction.SEND_RESULTS, at, "result event " + decision.eventId() + " delivered");
            }
            return;
        }
        String tenantId = header(record, RawHeaders.TENANT);
        if (tenantId != null && known.contains(key(tenantId, Direction.RECEIVE_ORDERS))) {
            return;
        }
        if (Environments.SANDBOX.equals(header(record, RawHeaders.ENVIRONMENT))) {
            seen(tenantId, Direction.RECEIVE_ORDERS, at,
                    "message " + header(record, RawHeaders.MESSAGE_ID) + " accepted over "
                            + header(record, RawHeaders.CHANNEL));
        }
    }

    private void seen(String tenantId, Direction direction, Instant at, String reference) {
        if (tenantId != null && known.add(key(tenantId, direction))) {
            goLive.recordEvidence(tenantId, direction, at, reference);
        }
    }

    private static String key(String tenantId, Direction direction) {
        return tenantId + "|" + direction.id();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
