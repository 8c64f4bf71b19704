package labops.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import labops.testsupport.Ports;
import labops.testsupport.Processes;
import org.apache.kafka.common.Uuid;

/**
 * A standalone single-node KRaft broker (combined broker + controller) in its own JVM, run from the
 * Kafka jars on this launcher's classpath. Listens on 127.0.0.1 only.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private KafkaBrokerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static KafkaBrokerProcess start(Path directory, int port, int controllerPort, Path log) {
        try {
            Files.createDirectories(directory);
            Path config = directory.resolve("server.properties");
            Files.writeString(config, serverProperties(directory.resolve("data"), port, controllerPort));
            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
            Process process = java(List.of("-Xmx512m", "-XX:+UseSerialGC", "kafka.Kafka", config.toString()), log).start();
            var broker = new KafkaBrokerProcess(process, port);
            broker.awaitListening();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    private static String serverProperties(Path data, int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                // One node: internal topics cannot have more replicas than that.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Topics come from the catalogue; a typo must fail, not create a new topic.
                "auto.create.topics.enable=false",
                "");
    }

    private static void run(List<String> arguments, Path log) throws IOException {
        Process process = java(arguments, log).start();
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(arguments.get(0) + " failed with " + process.exitValue() + "; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
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
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + " while starting");
            }
            if (Ports.isListening(port)) {
                return;
            }
            Processes.pause(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("Kafka not listening on " + port + " within " + START_TIMEOUT);
    }
}
