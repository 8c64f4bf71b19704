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

    /** The largest message Lab Ops takes in, unless configured smaller ({@code labops.max-message-size}): 10 MiB. */
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    /**
     * The largest record any topic takes ({@code max.message.bytes}) and any producer writes ({@code max.request.size}):
     * the largest message with room for its headers and the record batch around it, or for the canonical event that
     * carries it (a 9 MB embedded PDF becomes an event of about the same size).
     */
    public static final int MAX_RECORD_BYTES = MAX_MESSAGE_BYTES + 1024 * 1024;

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
                "cleanup.policy", cleanup.configValue(),
                "max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
    }
}
