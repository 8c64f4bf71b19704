package labops.platform.kafka;

import java.time.Duration;
import labops.schemas.topic.TopicSpec;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Kafka settings of Lab Ops beyond Spring Boot's {@code spring.kafka.*}.
 *
 * @param schemaRegistry where Avro schemas are registered and looked up
 * @param topics         whether and how services create the topic catalogue at start-up
 * @param consumerFailure how every consumer treats a record it cannot process ({@link ConsumerFailurePolicy})
 * @param maxMessageSize  the one largest message, end to end: MLLP frames and HTTP bodies (declared, chunked or
 *                        decoded) beyond it are refused for good (AR / 413), and every producer and topic takes a record
 *                        of this size with its headers ({@link TopicSpec#MAX_RECORD_BYTES}); at most 10 MiB
 */
@ConfigurationProperties("labops")
public record LabOpsKafkaProperties(@DefaultValue SchemaRegistry schemaRegistry, @DefaultValue Topics topics,
                                    @DefaultValue ConsumerFailure consumerFailure,
                                    @DefaultValue("10MB") DataSize maxMessageSize) {

    public LabOpsKafkaProperties {
        if (maxMessageSize.toBytes() < 1 || maxMessageSize.toBytes() > TopicSpec.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("labops.max-message-size must be between 1 byte and "
                    + TopicSpec.MAX_MESSAGE_BYTES + " bytes (the topics' and producers' limit), not " + maxMessageSize);
        }
    }

    /** {@link #maxMessageSize} in bytes. */
    public int maxMessageBytes() {
        return (int) maxMessageSize.toBytes();
    }

    /** @param url Apicurio v2 API base URL, e.g. {@code http://registry:8080/apis/registry/v2} */
    public record SchemaRegistry(@DefaultValue("http://127.0.0.1:8090/apis/registry/v2") String url) {
    }

    /**
     * @param create            create missing catalogue topics at start-up (off where an operator such as Strimzi owns them)
     * @param replicationFactor replication factor of created topics: 1 on one machine, 3 in production
     */
    public record Topics(@DefaultValue("true") boolean create, @DefaultValue("1") short replicationFactor) {
    }

    /**
     * @param attempts              times a record that fails for its own content is tried before it is dead-lettered
     * @param retryInterval         pause between those attempts
     * @param outageInitialInterval first pause while a dependency (database, broker, registry) is down
     * @param outageMaxInterval     longest pause while it stays down; the consumer waits as long as the outage lasts
     */
    public record ConsumerFailure(@DefaultValue("3") int attempts, @DefaultValue("1s") Duration retryInterval,
                                  @DefaultValue("1s") Duration outageInitialInterval,
                                  @DefaultValue("30s") Duration outageMaxInterval) {
    }
}
