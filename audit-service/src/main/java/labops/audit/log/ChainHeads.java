package labops.audit.log;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Each chain's head (how many entries, the last one's hash), signed with the chain key and published to the compacted
 * {@code labops.audit.heads}, keyed by tenant and chain: outside the audit table, so whoever deletes a chain's newest
 * entries, or truncates a tenant's, cannot make the log agree with it. Published every
 * {@link ChainProperties#headEvery()} for the chains that moved, once their entries are committed; each instance
 * publishes the chains of the partitions it appends, so no head overwrites another instance's.
 */
@Component
class ChainHeads {

    /**
     * A tenant's chain as of {@code signedAt}: {@code count} entries, the last with {@code lastHash}. Heads published
     * before chains per partition have no {@code chain}: they sign the tenant's one chain, {@value #TENANT_CHAIN}.
     */
    record Head(String tenantId, String chain, long count, String lastHash, String keyId, Instant signedAt,
                String signature) {

        String content() {
            return chain == null
                    ? String.join("\u001f", tenantId, Long.toString(count), lastHash, keyId, signedAt.toString())
                    : String.join("\u001f", tenantId, chain, Long.toString(count), lastHash, keyId,
                    signedAt.toString());
        }

        String chainName() {
            return chain == null ? TENANT_CHAIN : chain;
        }
    }

    /** The chain of entries appended while each tenant had one chain, before chains per partition. */
    static final String TENANT_CHAIN = "tenant";

    /** A tenant's chain: its entries read from one partition ({@code labops.raw.hl7v2-3}). */
    record Chain(String tenantId, String name) {
    }

    /** Where a chain ends: its count and its last entry's hash. */
    record End(long count, String hash) {
    }

    private static final Logger log = LoggerFactory.getLogger(ChainHeads.class);
    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final Map<Chain, End> moved = new ConcurrentHashMap<>();
    private final ChainMac mac;
    private final KafkaTemplate<String, Object> kafka;
    private final KafkaProperties kafkaProperties;

    ChainHeads(ChainMac mac, KafkaTemplate<String, Object> kafka, KafkaProperties kafkaProperties) {
        this.mac = mac;
        this.kafka = kafka;
        this.kafkaProperties = kafkaProperties;
    }

    /** A tenant's chain now ends at {@code end} (committed): its head is published at the next round. */
    void moved(Chain chain, End end) {
        moved.merge(chain, end, (a, b) -> a.count() >= b.count() ? a : b);
    }

    @Scheduled(fixedDelayString = "${labops.audit.chain.head-every:10s}")
    void publish() {
        for (Chain chain : List.copyOf(moved.keySet())) {
            End end = moved.remove(chain);
            if (end == null) {
                continue;
            }
            Head unsigned = new Head(chain.tenantId(), chain.name(), end.count(), end.hash(), mac.activeKey(),
                    Instant.now(), null);
            Head head = new Head(chain.tenantId(), chain.name(), end.count(), end.hash(), mac.activeKey(),
                    unsigned.signedAt(), mac.mac(mac.activeKey(), unsigned.content()));
            kafka.send(Topics.AUDIT_HEADS, chain.tenantId() + "/" + chain.name(), JSON.writeValueAsString(head))
                    .whenComplete((sent, failure) -> {
                        if (failure != null) {
                            log.warn("event=audit-head-not-published tenant={} chain={}", chain.tenantId(),
                                    chain.name());
                            moved(chain, end);
                        }
                    });
        }
    }

    /**
     * The tenant's latest published head of each of its chains, by chain name, read from the topic (not from anything
     * this instance remembers).
     */
    Map<String, Head> latest(String tenantId) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var latest = new TreeMap<String, Head>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT_HEADS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    String key = record.key();
                    if (key == null || record.value() == null
                            || !(key.equals(tenantId) || key.startsWith(tenantId + "/"))) {
                        continue;
                    }
                    Head head = JSON.readValue(record.value(), Head.class);
                    if (tenantId.equals(head.tenantId())) {
                        latest.put(head.chainName(), head);
                    }
                }
            }
        }
        return latest;
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
