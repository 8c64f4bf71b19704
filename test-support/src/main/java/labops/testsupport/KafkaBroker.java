package labops.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node KRaft Kafka broker in this JVM, with every topic of the {@link Topics} catalogue.
 * Transactions work: the transaction state log is set to the single node.
 */
public final class KafkaBroker implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;

    private KafkaBroker(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    public static KafkaBroker start() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 1)
                .brokerProperties(Map.of(
                        "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1",
                        "offsets.topic.replication.factor", "1",
                        "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        var started = new KafkaBroker(broker);
        createTopics(started.bootstrapServers(), Topics.ALL);
        return started;
    }

    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Creates the given topics on a single-node cluster; existing ones are left as they are. */
    public static void createTopics(String bootstrapServers, List<TopicSpec> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get();
            var missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                    .toList();
            admin.createTopics(missing).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics", e.getCause());
        }
    }

    private boolean closed;

    /** Stops the broker (idempotent): for tests of what happens when Kafka is gone. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            broker.destroy();
        }
    }
}
