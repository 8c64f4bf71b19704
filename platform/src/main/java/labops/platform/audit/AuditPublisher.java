package labops.platform.audit;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import labops.schemas.AuditHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import labops.schemas.topic.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Publishes {@link AuditDecision}s as JSON to {@code labops.audit.decisions}. */
public class AuditPublisher {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaTemplate<String, Object> kafka;
    private final String actor;

    public AuditPublisher(KafkaTemplate<String, Object> kafka, String actor) {
        this.kafka = kafka;
        this.actor = actor;
    }

    public String actor() {
        return actor;
    }

    /**
     * Completes when Kafka has the decision. Keyed by the message it concerns when it names one (a Lab Ops id, never
     * the sender's), else by tenant: a busy tenant's decisions spread over the topic's partitions, each the audit
     * log's own chain, instead of one partition one consumer appends.
     */
    public CompletableFuture<Void> publish(AuditDecision decision) {
        String key = decision.messageId() != null ? decision.messageId() : decision.tenantId();
        var headers = new RecordHeaders();
        headers.add(AuditHeaders.TENANT, decision.tenantId().getBytes(StandardCharsets.UTF_8));
        headers.add(AuditHeaders.ACTION, decision.action().getBytes(StandardCharsets.UTF_8));
        return kafka.send(new ProducerRecord<>(Topics.AUDIT_DECISIONS, null, key, JSON.writeValueAsString(decision),
                        headers))
                .thenApply(result -> null);
    }
}
