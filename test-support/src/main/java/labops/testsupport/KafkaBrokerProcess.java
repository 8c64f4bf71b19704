package labops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker (combined broker and controller) in its own JVM, run from the Kafka jars on this
 * process's classpath, listening on 127.0.0.1 only. Its ports and log directory are fixed, so it can be SIGKILLed as a
 * crashed host would be and started again with its data: the local stack's broker and the system tests'.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private KafkaBrokerProcess(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /**
     * Formats a new log directory under {@code directory} and starts the broker with {@code properties} added to its
     * single-node settings; returns once it answers.
     */
    public static KafkaBrokerProcess start(Path directory, int port, int controllerPort, Path log,
                                           Map<String, String> properties) {
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("server.properties");
            var lines = new ArrayList<>(List.of(
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + directory.resolve("data"),
                    // One node: internal topics cannot have more replicas than that.
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    // Topics come from the catalogue; a typo must fail, not create a new topic.
                    "auto.create.topics.enable=false"));
            properties.forEach((name, value) -> lines.add(name + "=" + value));
            Files.write(config, lines);
            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                    config.toString()), log);
            var broker = new KafkaBrokerProcess(config, log, port);
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL: no controlled shutdown, nothing flushed beyond what the OS already has. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a killed broker again on its ports and log directory (recovering its logs); returns once it answers. */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        launch();
    }

    @Override
    public synchronized void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    private void launch() {
        try {
            process = java(List.of("-Xmx512m", "-XX:+UseSerialGC", "kafka.Kafka", config.toString()), log).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker", e);
        }
        Eventually.await("Kafka answering on " + port + " (log: " + log + ")", START_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
                return Optional.of(admin.describeCluster().nodes().get(2, TimeUnit.SECONDS));
            } catch (Exception notYet) {
                return Optional.empty();
            }
        });
    }

    private static void run(List<String> arguments, Path log) throws IOException {
        Process tool = java(arguments, log).start();
        try {
            if (tool.waitFor() != 0) {
                throw new IllegalStateException(arguments.get(0) + " failed with " + tool.exitValue() + "; see " + log);
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ProcessBuilder java(List<String> arguments, Path log) {
        var command = new ArrayList<String>();
        command.add(Processes.javaExecutable());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
}
