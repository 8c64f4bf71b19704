package labops.platform.audit;

import java.util.concurrent.CompletableFuture;
import labops.schemas.topic.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Publishes {@link AuditDecision}s as JSON to {@code labops.audit.decisions}, keyed by tenant. */
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

    /** Completes when Kafka has the decision. */
    public CompletableFuture<Void> publish(AuditDecision decision) {
        return kafka.send(Topics.AUDIT_DECISIONS, decision.tenantId(), JSON.writeValueAsString(decision))
                .thenApply(result -> null);
    }
}
