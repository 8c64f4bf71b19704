package labops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;
import labops.testsupport.KafkaBroker;
import labops.testsupport.KafkaBrokerProcess;
import labops.testsupport.Ports;
import labops.testsupport.PostgresServer;
import labops.testsupport.Processes;
import labops.testsupport.RegistryServer;
import labops.testsupport.ServiceProcess;
import labops.testsupport.TokenClient;

/**
 * The pieces a benchmark runs on, on this machine: a standalone KRaft broker process, the registry, PostgreSQL and
 * Lab Ops services from their jars with production-like JVM settings, and tenant-service seeding a bench tenant whose
 * sandbox takes orders on {@link #ordersPort()}. Everything under {@code bench/target/run}; all stopped on close.
 */
final class BenchStack implements AutoCloseable {

    /** The JVM every measured process runs with, Lab Ops and the comparison alike. */
    static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseG1GC");
    static final String TENANT = "bench-hospital";
    static final String API_CLIENT_ID = "lo_test_bench";

    private final Path home = Path.of("bench", "target", "run").toAbsolutePath();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new HashMap<>();
    private final int ordersPort = Ports.free();
    private final int resultsPort = Ports.free();
    private final String encryptionKey = random(32);
    private final String apiClientSecret = random(32);
    private final String adminPassword = random(12);
    private final String consoleSecret = random(24);
    /** Where the console would take a person's sign-in back to: no console runs, the token client reads the code. */
    private static final String CONSOLE_REDIRECT = "http://127.0.0.1:1/login/oauth2/code/labops";
    private final PostgresServer postgres;
    private final KafkaBrokerProcess kafka;
    private final RegistryServer registry;
    private final String issuer;

    BenchStack() throws IOException {
        deleteRecursively(home);
        Files.createDirectories(home.resolve("logs"));
        postgres = track(PostgresServer.start(0, home.resolve("postgres")));
        kafka = track(KafkaBrokerProcess.start(home.resolve("kafka"), Ports.free(), Ports.free(), log("kafka"),
                Map.of()));
        KafkaBroker.createTopics(kafka.bootstrapServers(), Topics.ALL);
        registry = track(RegistryServer.start(Ports.free(), log("schema-registry")));
        int tenantPort = Ports.free();
        issuer = "http://127.0.0.1:" + tenantPort;
        var env = common();
        env.put("LABOPS_TENANT_ENCRYPTION_KEYS_K1", encryptionKey);
        env.put("LABOPS_TENANT_AUTH_SERVICECLIENTS_INGRESS", "bench-ingress-secret");
        env.put("LABOPS_DEMO_ENABLED", "true");
        env.put("LABOPS_DEMO_TENANTID", TENANT);
        env.put("LABOPS_DEMO_ORDERSPORT", Integer.toString(ordersPort));
        env.put("LABOPS_DEMO_RESULTSPORT", Integer.toString(resultsPort));
        env.put("LABOPS_DEMO_PRODUCTIONORDERSPORT", Integer.toString(Ports.free()));
        env.put("LABOPS_DEMO_APICLIENTID", API_CLIENT_ID);
        env.put("LABOPS_DEMO_APICLIENTSECRET", apiClientSecret);
        env.put("LABOPS_DEMO_ADMINPASSWORD", adminPassword);
        env.put("LABOPS_TENANT_AUTH_CONSOLE_CLIENTSECRET", consoleSecret);
        env.put("LABOPS_TENANT_AUTH_CONSOLE_REDIRECTURIS", CONSOLE_REDIRECT);
        start("tenant-service", tenantPort, env, ServiceProcess.SMALL_JVM);
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String registryConfluentUrl() {
        return registry.confluentUrl();
    }

    int ordersPort() {
        return ordersPort;
    }

    /** A token of Lab Ops' own administrator (the demo's {@code admin}), who may read every tenant's audit log. */
    String staffToken() {
        return new TokenClient(issuer).person(new TokenClient.ConsoleClient("labops-console", consoleSecret,
                CONSOLE_REDIRECT), "admin", adminPassword);
    }

    /** A token of the bench tenant's sandbox API client ({@code orders.write}), valid for five minutes. */
    String clientToken() {
        return new TokenClient(issuer).clientCredentials(API_CLIENT_ID, apiClientSecret);
    }

    /**
     * Starts a Lab Ops service with the benchmark JVM and waits until it is healthy. With {@code LABOPS_BENCH_JFR} set
     * to a directory, the service records a JFR profile there (for finding where time goes, not for the figures).
     */
    ServiceProcess startService(String module, Map<String, String> extra) {
        return startService(module, extra, JVM);
    }

    /** As {@link #startService(String, Map)}, with these JVM options instead of the benchmark's. */
    ServiceProcess startService(String module, Map<String, String> extra, List<String> options) {
        var env = common();
        env.putAll(extra);
        var jvm = new ArrayList<>(options);
        String jfr = System.getenv("LABOPS_BENCH_JFR");
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr, module + ".jfr").toAbsolutePath());
        }
        return start(module, Ports.free(), env, jvm);
    }

    /**
     * The CPU time each running service's process has used so far, and the infrastructure's beside them (the broker,
     * the registry, PostgreSQL with its backends): a consumer that falls behind while using little CPU is waiting on
     * one of those.
     */
    Map<String, Duration> cpu() {
        var used = new java.util.TreeMap<String, Duration>();
        services.forEach((module, process) -> cpuOf(process.pid()).ifPresent(cpu -> used.put(module, cpu)));
        cpuOf(kafka.pid()).ifPresent(cpu -> used.put("kafka", cpu));
        cpuOf(registry.pid()).ifPresent(cpu -> used.put("registry", cpu));
        try {
            long postmaster = Long.parseLong(Files.readAllLines(home.resolve("postgres").resolve("postmaster.pid"))
                    .get(0).trim());
            ProcessHandle.of(postmaster).ifPresent(root -> used.put("postgres", java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(root), root.descendants())
                    .map(handle -> handle.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus)));
        } catch (IOException | RuntimeException unreadable) {
            // No figure for PostgreSQL then; the services' are still right.
        }
        return used;
    }

    private static java.util.Optional<Duration> cpuOf(long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration());
    }

    void stopService(String module) {
        services.remove(module).close();
    }

    /** Creates a topic outside the catalogue (the comparison's), six partitions like the raw topics. */
    void createTopic(String name) {
        KafkaBroker.createTopics(kafka.bootstrapServers(), List.of(new TopicSpec(name, 6, Duration.ofDays(1),
                TopicSpec.CleanupPolicy.DELETE, "benchmark comparison")));
    }

    /** A Java process on this benchmark's own classpath, with the benchmark JVM. */
    Process startJava(String mainClass, List<String> arguments, String logName) throws IOException {
        var command = new ArrayList<String>();
        command.add(Processes.javaExecutable());
        command.addAll(JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(logName).toFile())).start();
    }

    /** Waits up to a minute for something to listen on {@code port} (an MLLP endpoint, the comparison's route). */
    static void awaitListening(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Ports.isListening(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing listening on " + port);
            }
            Processes.pause(Duration.ofMillis(200));
        }
    }

    Path log(String name) {
        return home.resolve("logs").resolve(name + ".log");
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e.getMessage());
            }
        }
    }

    private ServiceProcess start(String module, int port, Map<String, String> env, List<String> jvm) {
        var process = ServiceProcess.start(module, port, env, log(module), jvm);
        services.put(module, process);
        ServiceProcess.awaitHealthy(List.of(process), Duration.ofMinutes(3));
        return process;
    }

    /** A fresh audit chain key per bench run, as the local stack makes one per start. */
    private static final String AUDIT_CHAIN_KEY = java.util.Base64.getEncoder().encodeToString(randomBytes());

    private static byte[] randomBytes() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    private Map<String, String> common() {
        var env = new HashMap<String, String>();
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("LABOPS_SCHEMA_REGISTRY_URL", registry.apicurioUrl());
        env.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", PostgresServer.USER);
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        env.put("LABOPS_AUDIT_CHAIN_KEYS_K1", AUDIT_CHAIN_KEY);
        if (issuer != null) {
            env.put("LABOPS_SECURITY_ISSUER", issuer);
        }
        return env;
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return Base64.getEncoder().encodeToString(value);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
