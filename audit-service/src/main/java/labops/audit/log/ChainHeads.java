package labops.audit.log;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each tenant's chain head (how many entries, the last one's hash), signed with the chain key and published to the
 * compacted {@code labops.audit.heads}: outside the audit table, so whoever deletes the newest entries, or truncates
 * a tenant's, cannot make the log agree with it. Published every {@link ChainProperties#headEvery()} for the tenants
 * whose chain moved, once their entries are committed.
 */
@Component
class ChainHeads {

    /** A tenant's chain as of {@code signedAt}: {@code count} entries, the last with {@code lastHash}. */
    record Head(String tenantId, long count, String lastHash, String keyId, Instant signedAt, String signature) {

        String content() {
            return String.join("\u001f", tenantId, Long.toString(count), lastHash, keyId, signedAt.toString());
        }
    }

    private record Position(long count, String lastHash) {
    }

    private static final Logger log = LoggerFactory.getLogger(ChainHeads.class);
    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final Map<String, Position> moved = new ConcurrentHashMap<>();
    private final ChainMac mac;
    private final KafkaTemplate<String, Object> kafka;
    private final KafkaProperties kafkaProperties;

    ChainHeads(ChainMac mac, KafkaTemplate<String, Object> kafka, KafkaProperties kafkaProperties) {
        this.mac = mac;
        this.kafka = kafka;
        this.kafkaProperties = kafkaProperties;
    }

    /** A tenant's chain now ends at entry {@code count} (committed): its head is published at the next round. */
    void moved(String tenantId, long count, String lastHash) {
        moved.merge(tenantId, new Position(count, lastHash), (a, b) -> a.count() >= b.count() ? a : b);
    }

    @Scheduled(fixedDelayString = "${labops.audit.chain.head-every:10s}")
    void publish() {
        for (String tenantId : List.copyOf(moved.keySet())) {
            Position position = moved.remove(tenantId);
            if (position == null) {
                continue;
            }
            Head unsigned = new Head(tenantId, position.count(), position.lastHash(), mac.activeKey(), Instant.now(),
                    null);
            Head head = new Head(tenantId, position.count(), position.lastHash(), mac.activeKey(), unsigned.signedAt(),
                    mac.mac(mac.activeKey(), unsigned.content()));
            kafka.send(Topics.AUDIT_HEADS, tenantId, JSON.writeValueAsString(head)).whenComplete((sent, failure) -> {
                if (failure != null) {
                    log.warn("event=audit-head-not-published tenant={}", tenantId);
                    moved(tenantId, position.count(), position.lastHash());
                }
            });
        }
    }

    /** The tenant's latest published head, read from the topic (not from anything this instance remembers). */
    Optional<Head> latest(String tenantId) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Head latest = null;
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT_HEADS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (tenantId.equals(record.key()) && record.value() != null) {
                        latest = JSON.readValue(record.value(), Head.class);
                    }
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    /** True when {@code head} was signed with a configured chain key and not changed since. */
    boolean authentic(Head head) {
        try {
            return head.signature() != null && head.signature().equals(mac.mac(head.keyId(), head.content()));
        } catch (ChainMac.UnknownKeyException unknown) {
            return false;
        }
    }
}
