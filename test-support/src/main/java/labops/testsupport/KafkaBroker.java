package labops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * A real single-node KRaft Kafka broker with every topic of the {@link Topics} catalogue. Transactions work: the
 * transaction state log is set to the single node. In this JVM by default; in its own JVM when the system property
 * {@value #IN_OWN_PROCESS} is {@code true} (the system tests), so it can be {@linkplain #kill() killed} and
 * {@linkplain #restart() restarted} with its data.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String IN_OWN_PROCESS = "labops.test.kafka-process";
    private static final Map<String, String> PROPERTIES = Map.of(
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "offsets.topic.replication.factor", "1",
            "group.initial.rebalance.delay.ms", "0");

    private final EmbeddedKafkaBroker embedded;
    private final KafkaBrokerProcess process;
    private final Path directory;

    private KafkaBroker(EmbeddedKafkaBroker embedded, KafkaBrokerProcess process, Path directory) {
        this.embedded = embedded;
        this.process = process;
        this.directory = directory;
    }

    public static KafkaBroker start() {
        KafkaBroker started;
        if (Boolean.getBoolean(IN_OWN_PROCESS)) {
            try {
                Path directory = Files.createTempDirectory("labops-kafka-");
                // The log beside the directory, not in it: kept after close() for whoever reads a failure.
                started = new KafkaBroker(null, KafkaBrokerProcess.start(directory, Ports.free(), Ports.free(),
                        directory.resolveSibling(directory.getFileName() + ".log"), PROPERTIES), directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 1).brokerProperties(PROPERTIES);
            broker.afterPropertiesSet();
            started = new KafkaBroker(broker, null, null);
        }
        createTopics(started.bootstrapServers(), Topics.ALL);
        return started;
    }

    public String bootstrapServers() {
        return process != null ? process.bootstrapServers() : embedded.getBrokersAsString();
    }

    /** SIGKILL of the broker's JVM, as a crashed host: only with {@value #IN_OWN_PROCESS}. */
    public void kill() {
        ownProcess().kill();
    }

    /** Starts a killed broker again on the same ports and data; returns once it answers. */
    public void restart() {
        ownProcess().restart();
    }

    private KafkaBrokerProcess ownProcess() {
        if (process == null) {
            throw new IllegalStateException("the broker runs in this JVM; set -D" + IN_OWN_PROCESS + "=true");
        }
        return process;
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
            if (process != null) {
                process.close();
                deleteRecursively(directory);
            } else {
                embedded.destroy();
            }
        }
    }

    private static void deleteRecursively(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
