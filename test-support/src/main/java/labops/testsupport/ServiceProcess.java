package labops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Lab Ops service running from its built jar in its own JVM, as in production. */
public final class ServiceProcess implements AutoCloseable {

    private final String module;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String module, int port, Process process, Path log) {
        this.module = module;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code <module>/target/<module>.jar} on {@code port} with {@code environment} added to this
     * process's, writing its output to {@code log}. Returns at once; see {@link #awaitHealthy}.
     */
    public static ServiceProcess start(String module, int port, Map<String, String> environment, Path log) {
        if (module.equals("ingress-service")) {
            // What the 10 MB message limit needs: a message in flight holds about three times its size (its README).
            var options = new java.util.ArrayList<>(SMALL_JVM);
            options.set(0, "-Xmx512m");
            return start(module, port, environment, log, options);
        }
        return start(module, port, environment, log, SMALL_JVM);
    }

    /** Small and quick to start (C1 only): tests and the local stack, where start-up time matters more than peak speed. */
    public static final List<String> SMALL_JVM = List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    /** As {@link #start(String, int, Map, Path)}, with these JVM options (benchmarks use production-like ones). */
    public static ServiceProcess start(String module, int port, Map<String, String> environment, Path log,
                                       List<String> jvmOptions) {
        Path jar = locate(Path.of(module, "target", module + ".jar"));
        var command = new java.util.ArrayList<String>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        try {
            return new ServiceProcess(module, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + module, e);
        }
    }

    public String module() {
        return module;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isHealthy() {
        return ServiceProbe.isHealthy(port);
    }

    /** Waits for every service to report UP; fails fast when one exits. */
    public static void awaitHealthy(List<ServiceProcess> services, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (ServiceProcess service : services) {
            while (!service.isHealthy()) {
                if (!service.process.isAlive()) {
                    throw new IllegalStateException(service.module + " exited with " + service.process.exitValue()
                            + "; see " + service.log);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(service.module + " not healthy within " + timeout + "; see " + service.log);
                }
                Processes.pause(Duration.ofMillis(500));
            }
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(20));
    }

    /** SIGKILL, as a crashed host or an OOM killer would: no shutdown hook, no last commit. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Finds a path relative to the repository root from any directory below it. */
    static Path locate(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath()
                + ": build with ./mvnw -DskipTests package");
    }
}
