package labops.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import labops.schemas.topic.Topics;
import labops.testsupport.KafkaBroker;
import labops.testsupport.KafkaBrokerProcess;
import labops.testsupport.PostgresServer;
import labops.testsupport.RegistryServer;
import labops.testsupport.SelfSignedKeyStore;
import labops.testsupport.ServiceProbe;
import labops.testsupport.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ./labops up}: the whole product on one machine with embedded defaults, no Docker. Starts PostgreSQL,
 * a KRaft Kafka broker, the schema registry and every service, waits until all are healthy, prints their URLs
 * and runs until Ctrl-C, which stops everything it started. {@code ./labops status} checks a running stack;
 * {@code ./labops down} stops one whose launcher was killed.
 *
 * <p>Every {@code up} starts from empty Kafka, registry and database state under {@code .labops/run}.
 */
public final class LocalStack {

    static final int POSTGRES_PORT = 15432;
    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int REGISTRY_PORT = 8090;
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(4);

    private final Path home;
    private final DemoTenant.Secrets demo = DemoTenant.Secrets.generate();
    private SelfSignedKeyStore tls;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<LabOpsService, ServiceProcess> services = new LinkedHashMap<>();

    private LocalStack(Path home) {
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(".labops").toAbsolutePath();
        String command = args.length == 0 ? "up" : args[0];
        switch (command) {
            case "up" -> new LocalStack(home).up();
            case "status" -> System.exit(status() ? 0 : 1);
            case "down" -> stopLeftovers(home);
            default -> {
                System.err.println("usage: labops up | status | down");
                System.exit(2);
            }
        }
    }

    private void up() throws Exception {
        Instant begin = Instant.now();
        stopLeftovers(home);
        Path run = home.resolve("run");
        deleteRecursively(run);
        Path logs = run.resolve("logs");
        Files.createDirectories(logs);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "labops-stop"));

        say("PostgreSQL 17 on 127.0.0.1:" + POSTGRES_PORT);
        PostgresServer postgres = track(PostgresServer.start(POSTGRES_PORT, run.resolve("postgres")));
        say("Kafka (KRaft) on 127.0.0.1:" + KAFKA_PORT);
        KafkaBrokerProcess kafka = track(KafkaBrokerProcess.start(run.resolve("kafka"), KAFKA_PORT, KAFKA_CONTROLLER_PORT,
                logs.resolve("kafka.log"), Map.of()));
        KafkaBroker.createTopics(kafka.bootstrapServers(), Topics.ALL);
        say("schema registry on 127.0.0.1:" + REGISTRY_PORT);
        RegistryServer registry = track(RegistryServer.start(REGISTRY_PORT, logs.resolve("schema-registry.log")));
        writePids(List.of(kafka.pid(), registry.pid()));

        // MLLP endpoints created with TLS on the console present this self-signed certificate.
        tls = SelfSignedKeyStore.create(run.resolve("mllp-tls.p12"), demo.tlsKeyStorePassword());
        for (LabOpsService service : LabOpsService.values()) {
            say("starting " + service.moduleName());
            services.put(service, startService(service, kafka.bootstrapServers(), registry.apicurioUrl(), postgres.jdbcUrl(),
                    logs.resolve(service.moduleName() + ".log")));
        }
        var pids = new ArrayList<>(List.of(kafka.pid(), registry.pid()));
        services.values().forEach(p -> pids.add(p.pid()));
        writePids(pids);

        awaitHealthy();
        DemoTenant.awaitEndpoints();
        Files.writeString(run.resolve(DemoTenant.SECRET_FILE), demo.webhookSecret());
        AuditVerify.writeAccess(run, demo.adminPassword(), demo.consoleSecret());
        printSummary(Duration.between(begin, Instant.now()), logs);
        Thread.currentThread().join();
    }

    private ServiceProcess startService(LabOpsService service, String kafka, String registryUrl, String jdbcUrl,
                                        Path log) {
        Map<String, String> env = new HashMap<>();
        env.put(LabOpsService.OUTBOUND_ALLOWED, DemoTenant.OUTBOUND_ALLOWED);
        if (service.usesKafka()) {
            env.put(LabOpsService.KAFKA_BOOTSTRAP, kafka);
            env.put(LabOpsService.REGISTRY_URL, registryUrl);
            env.put(LabOpsService.TOPICS_CREATE, "true");
            env.put(LabOpsService.TOPICS_REPLICATION, "1");
            env.put(LabOpsService.ISSUER, tenantServiceUrl());
        }
        if (service.storesData()) {
            env.put(LabOpsService.DATASOURCE_URL, jdbcUrl);
            env.put(LabOpsService.DATASOURCE_USER, PostgresServer.USER);
            env.put(LabOpsService.DATASOURCE_PASSWORD, "");
        }
        switch (service) {
            case TENANT -> env.putAll(demo.tenantServiceEnvironment(tenantServiceUrl(), consoleUrl()));
            case INGRESS -> {
                env.put(LabOpsService.SERVICE_CLIENT_SECRET, demo.ingressSecret());
                env.put(LabOpsService.INGRESS_PARTITION_KEY, demo.partitionKeySecret());
                env.put(LabOpsService.MLLP_TLS_KEY_STORE, tls.path().toString());
                env.put(LabOpsService.MLLP_TLS_KEY_STORE_PASSWORD, tls.password());
            }
            case DELIVERY -> env.put(LabOpsService.SERVICE_CLIENT_SECRET, demo.deliverySecret());
            case AUDIT -> env.put(LabOpsService.AUDIT_CHAIN_KEY, demo.auditChainKey());
            case CONSOLE -> {
                env.put(LabOpsService.CONSOLE_ISSUER, tenantServiceUrl());
                env.put(LabOpsService.CONSOLE_SECRET, demo.consoleSecret());
                env.put(LabOpsService.CONSOLE_TENANT_SERVICE, tenantServiceUrl());
                env.put(LabOpsService.CONSOLE_WORKFLOW, "http://127.0.0.1:" + LabOpsService.WORKFLOW.localPort());
                env.put(LabOpsService.CONSOLE_NORMALIZER, "http://127.0.0.1:" + LabOpsService.NORMALIZER.localPort());
            }
            default -> { }
        }
        return ServiceProcess.start(service.moduleName(), service.localPort(), env, log);
    }

    private void awaitHealthy() {
        ServiceProcess.awaitHealthy(List.copyOf(services.values()), HEALTHY_TIMEOUT);
        say("all services are healthy");
    }

    private void printSummary(Duration took, Path logs) {
        var out = new StringBuilder("\nLab Ops is up (" + took.toSeconds() + " s). Ctrl-C stops everything.\n\n");
        for (LabOpsService service : LabOpsService.values()) {
            out.append(String.format("  %-20s http://127.0.0.1:%d   (health: /actuator/health, metrics: /actuator/prometheus)%n",
                    service.moduleName(), service.localPort()));
        }
        out.append(String.format("  %-20s 127.0.0.1:%d%n", "kafka", KAFKA_PORT));
        out.append(String.format("  %-20s http://127.0.0.1:%d/apis/registry/v2 (Confluent API: /apis/ccompat/v7)%n",
                "schema registry", REGISTRY_PORT));
        out.append(String.format("  %-20s jdbc:postgresql://127.0.0.1:%d/%s (user %s)%n",
                "postgresql", POSTGRES_PORT, PostgresServer.DATABASE, PostgresServer.USER));
        out.append(DemoTenant.describe(demo, consoleUrl(), tenantServiceUrl()));
        out.append("\n  logs: ").append(logs).append('\n');
        System.out.println(out);
    }

    /** Stops services first, then the infrastructure, in reverse start order. */
    private synchronized void stop() {
        if (services.isEmpty() && started.isEmpty()) {
            return;
        }
        System.out.println("\nstopping Lab Ops...");
        services.values().parallelStream().forEach(ServiceProcess::close);
        services.clear();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i).getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        started.clear();
        deletePidFile(home);
        System.out.println("stopped.");
    }

    static boolean status() {
        boolean allUp = true;
        for (LabOpsService service : LabOpsService.values()) {
            boolean healthy = ServiceProbe.isHealthy(service.localPort());
            allUp &= healthy;
            System.out.printf("%-20s %s%n", service.moduleName(), healthy ? "UP" : "DOWN");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + KAFKA_PORT,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            var present = admin.listTopics().names().get();
            for (String topic : Topics.names()) {
                boolean exists = present.contains(topic);
                allUp &= exists;
                System.out.printf("topic %-45s %s%n", topic, exists ? "present" : "MISSING");
            }
        } catch (Exception e) {
            System.out.println("kafka                DOWN (" + e + ")");
            allUp = false;
        }
        return allUp;
    }

    /** Kills processes a previous launcher started but could not stop (it was killed itself). */
    static void stopLeftovers(Path home) {
        Path pids = home.resolve("pids");
        if (!Files.exists(pids)) {
            return;
        }
        try (Stream<String> lines = Files.lines(pids)) {
            lines.map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong)
                    .map(ProcessHandle::of).flatMap(java.util.Optional::stream)
                    .forEach(p -> {
                        System.out.println("stopping leftover process " + p.pid());
                        p.destroy();
                        p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
                                .exceptionally(timeout -> {
                                    p.destroyForcibly();
                                    return p;
                                }).join();
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stopLeftoverPostgres(home.resolve("run/postgres"));
        deletePidFile(home);
    }

    /** PostgreSQL writes its own pid file; a killed launcher leaves the postmaster running. */
    private static void stopLeftoverPostgres(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(p -> {
                System.out.println("stopping leftover PostgreSQL " + pid);
                p.destroy();
                p.onExit().join();
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("could not read " + pidFile + ": " + e.getMessage());
        }
    }

    private void writePids(List<Long> pids) throws IOException {
        Files.createDirectories(home);
        Files.write(home.resolve("pids"), pids.stream().map(String::valueOf).toList());
    }

    private static void deletePidFile(Path home) {
        try {
            Files.deleteIfExists(home.resolve("pids"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String consoleUrl() {
        return "http://127.0.0.1:" + LabOpsService.CONSOLE.localPort();
    }

    private static String tenantServiceUrl() {
        return "http://127.0.0.1:" + LabOpsService.TENANT.localPort();
    }

    private static void say(String line) {
        System.out.println("labops: " + line);
    }
}
