package labops.schemas.topic;

import java.time.Duration;
import java.util.Map;

/**
 * One Kafka topic as Lab Ops needs it. Replication is not part of the spec: it is a property of
 * the cluster (1 locally, 3 with {@code min.insync.replicas=2} in production).
 *
 * @param name        topic name
 * @param partitions  partition count; keys keep per-order ordering inside a partition
 * @param retention   how long records are kept ({@code retention.ms})
 * @param cleanup     {@code delete} or {@code compact}
 * @param description one line on what flows through it
 */
public record TopicSpec(String name, int partitions, Duration retention, CleanupPolicy cleanup, String description) {

    public enum CleanupPolicy {
        DELETE, COMPACT;

        public String configValue() {
            return name().toLowerCase();
        }
    }

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive for " + name);
        }
    }

    /** Topic-level configs, as Kafka names them. */
    public Map<String, String> configs() {
        return Map.of(
                "retention.ms", Long.toString(retention.toMillis()),
                "cleanup.policy", cleanup.configValue());
    }
}
