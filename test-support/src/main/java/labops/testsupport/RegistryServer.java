package labops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Apicurio Registry (in-memory storage) in its own JVM, built by {@code deploy/schema-registry}.
 * Clients use the v2 API through the Apicurio serde; any Confluent client can use {@link #confluentUrl()}.
 */
public final class RegistryServer implements AutoCloseable {

    /** Where the build puts the runnable registry, relative to the repository root. */
    public static final String RUNNER_JAR = "deploy/schema-registry/target/schema-registry-runner.jar";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private RegistryServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry on a free port and waits until it is ready. */
    public static RegistryServer start() {
        return start(Ports.free(), null);
    }

    /**
     * Starts a registry on {@code port}, writing its output to {@code log} (or discarding it when null),
     * and waits until it answers.
     */
    public static RegistryServer start(int port, Path log) {
        Path jar = locateRunnerJar();
        List<String> command = new ArrayList<>(List.of(
                Processes.javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-jar", jar.toString()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            var server = new RegistryServer(builder.start(), port);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the schema registry from " + jar, e);
        }
    }

    /** Base URL of the Apicurio v2 API, as the serde's {@code apicurio.registry.url} wants it. */
    public String apicurioUrl() {
        return "http://127.0.0.1:" + port + "/apis/registry/v2";
    }

    /** Base URL of the Confluent-compatible API. */
    public String confluentUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }

    private void awaitReady() {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("schema registry exited with " + process.exitValue() + " while starting");
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Processes.pause(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("schema registry not ready on port " + port + " within " + START_TIMEOUT);
    }

    static Path locateRunnerJar() {
        String configured = System.getProperty("labops.registry.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        return ServiceProcess.locate(Path.of(RUNNER_JAR));
    }

}
