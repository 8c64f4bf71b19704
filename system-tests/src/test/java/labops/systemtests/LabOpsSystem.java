package labops.systemtests;

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
import java.util.Optional;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.Ports;
import labops.testsupport.ServiceProcess;
import labops.testsupport.TenantServiceProcess;

/**
 * Every Lab Ops service from its built jar, each in its own JVM, against the shared KRaft broker, registry and
 * PostgreSQL: started once per test JVM, for every system-test class. tenant-service seeds a demo tenant whose
 * sandbox has orders and results MLLP endpoints, an API client and a signed webhook to {@link #receiver()}.
 */
final class LabOpsSystem {

    static final String TENANT = "system-test-hospital";
    static final String ADMIN_PASSWORD = "system-test-admin-password";
    static final String TENANT_ADMIN_PASSWORD = "system-test-tenant-admin-password";
    static final Path LOGS = Path.of("target", "system-test-logs");

    private static LabOpsSystem running;

    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private final TenantServiceProcess tenantService;
    private final SignatureCheckingReceiver receiver;
    private final String webhookSecret = "whsec_" + random(32);
    /** The default message limit (10 MB), so that a result with a 9 MB report goes the whole way. */
    static final int MAX_MESSAGE_BYTES = labops.schemas.topic.TopicSpec.MAX_MESSAGE_BYTES;
    /** Ingress limits small enough for the connection-hygiene tests to reach. */
    static final int MAX_CONNECTIONS_PER_TENANT = 8;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    private final String apiClientId = "lo_test_system" + Ports.free();
    private final String apiClientSecret = random(32);
    private final int ordersPort = Ports.free();
    private final int resultsPort = Ports.free();
    private final int consolePort = Ports.free();
    private final int ingressPort = Ports.free();
    private final int auditPort = Ports.free();
    private final Map<String, ServiceProcess> byModule = new HashMap<>();
    private Map<String, String> ingressEnvironment;
    private final List<String> secretsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

    static synchronized LabOpsSystem get() {
        if (running == null) {
            running = new LabOpsSystem();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        }
        return running;
    }

    private LabOpsSystem() {
        try {
            Files.createDirectories(LOGS);
            try (var old = Files.list(LOGS)) {
                for (Path log : old.toList()) {
                    Files.delete(log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int receiverPort = Ports.free();
        receiver = new SignatureCheckingReceiver(receiverPort, webhookSecret);
        receiver.start();
        String console = "http://127.0.0.1:" + consolePort;
        int normalizerPort = Ports.free();
        int workflowPort = Ports.free();
        tenantService = TenantServiceProcess.start(LOGS, console + "/login/oauth2/code/labops", Map.ofEntries(
                Map.entry("LABOPS_TENANT_AUTH_PUBLICURLS_INGRESS", "http://127.0.0.1:" + ingressPort),
                Map.entry("LABOPS_TENANT_AUTH_PUBLICURLS_AUDIT", "http://127.0.0.1:" + auditPort),
                Map.entry("LABOPS_TENANT_AUTH_PUBLICURLS_WORKFLOW", "http://127.0.0.1:" + workflowPort),
                Map.entry("LABOPS_TENANT_AUTH_PUBLICURLS_CONSOLE", console),
                Map.entry("LABOPS_DEMO_ENABLED", "true"),
                Map.entry("LABOPS_DEMO_TENANTID", TENANT),
                Map.entry("LABOPS_DEMO_ORDERSPORT", Integer.toString(ordersPort)),
                Map.entry("LABOPS_DEMO_RESULTSPORT", Integer.toString(resultsPort)),
                Map.entry("LABOPS_DEMO_PRODUCTIONORDERSPORT", Integer.toString(Ports.free())),
                Map.entry("LABOPS_DEMO_WEBHOOKURL", receiver.url()),
                Map.entry("LABOPS_DEMO_WEBHOOKSECRET", webhookSecret),
                Map.entry("LABOPS_DEMO_APICLIENTID", apiClientId),
                Map.entry("LABOPS_DEMO_APICLIENTSECRET", apiClientSecret),
                Map.entry("LABOPS_DEMO_ADMINPASSWORD", ADMIN_PASSWORD),
                Map.entry("LABOPS_DEMO_TENANTADMINPASSWORD", TENANT_ADMIN_PASSWORD),
                Map.entry("LABOPS_OUTBOUND_ALLOWED", "127.0.0.1:" + receiverPort)));
        services.add(tenantService.process());
        byModule.put("tenant-service", tenantService.process());
        var common = new HashMap<>(LabOpsInfrastructure.environment());
        common.put("LABOPS_SECURITY_ISSUER", tenantService.issuer());
        // The hospital's receiver runs on loopback here; nothing else internal may be called.
        common.put("LABOPS_OUTBOUND_ALLOWED", "127.0.0.1:" + receiverPort);
        ingressEnvironment = new HashMap<>(common);
        ingressEnvironment.putAll(merge(tenantService.clientEnvironment("ingress"), Map.of(
                "LABOPS_MAXMESSAGESIZE", Integer.toString(MAX_MESSAGE_BYTES),
                "LABOPS_INGRESS_MAXCONNECTIONSPERTENANT", Integer.toString(MAX_CONNECTIONS_PER_TENANT),
                "LABOPS_INGRESS_IDLETIMEOUT", IDLE_TIMEOUT.toMillis() + "ms",
                "LABOPS_INGRESS_MESSAGESTATUSURL", "http://127.0.0.1:" + auditPort,
                "LABOPS_INGRESS_NORMALIZERURL", "http://127.0.0.1:" + normalizerPort,
                "LABOPS_INGRESS_WORKFLOWURL", "http://127.0.0.1:" + workflowPort,
                // Shared by every instance, as a deployment must: a patient's messages and copies share a partition.
                "LABOPS_INGRESS_PARTITIONKEYSECRET", "c3lzdGVtLXRlc3RzLXBhcnRpdGlvbi1rZXktMzJieXQ=")));
        start("ingress-service", ingressPort, ingressEnvironment, Map.of());
        start("normalizer-service", normalizerPort, common, Map.of());
        start("workflow-service", workflowPort, common, Map.of());
        start("audit-service", auditPort, common, Map.of());
        start("delivery-service", Ports.free(), common, merge(tenantService.clientEnvironment("delivery"), Map.of(
                "LABOPS_DELIVERY_RETRY_FIRSTDELAY", "2s",
                "LABOPS_DELIVERY_RETRY_MULTIPLIER", "2.0")));
        start("console", consolePort, common, Map.of(
                "LABOPS_CONSOLE_ISSUER", tenantService.issuer(),
                "LABOPS_CONSOLE_CLIENTID", tenantService.console().clientId(),
                "LABOPS_CONSOLE_CLIENTSECRET", tenantService.console().clientSecret(),
                "LABOPS_CONSOLE_TENANTSERVICE", tenantService.issuer(),
                "LABOPS_CONSOLE_WORKFLOW", url("workflow-service"),
                "LABOPS_CONSOLE_NORMALIZER", url("normalizer-service"),
                "LABOPS_CONSOLE_INGRESS", url("ingress-service")));
        ServiceProcess.awaitHealthy(services, Duration.ofMinutes(4));
        for (int port : new int[] {ordersPort, resultsPort}) {
            Eventually.await("MLLP listener on " + port, Duration.ofSeconds(60), () ->
                    Ports.isListening(port) ? Optional.of(port) : Optional.empty());
        }
    }

    /** Remembers a secret value a test saw, for the test that looks for plaintext secrets everywhere. */
    void sawSecret(String secret) {
        secretsSeen.add(secret);
    }

    /** Every secret value handed to or shown by the system during this run. */
    List<String> secretsSeen() {
        var all = new ArrayList<>(secretsSeen);
        all.addAll(List.of(webhookSecret, apiClientSecret, tenantService.console().clientSecret(),
                TenantServiceProcess.SERVICE_SECRET, ADMIN_PASSWORD, TENANT_ADMIN_PASSWORD));
        return all;
    }

    TenantServiceProcess tenantService() {
        return tenantService;
    }

    SignatureCheckingReceiver receiver() {
        return receiver;
    }

    String webhookSecret() {
        return webhookSecret;
    }

    int ordersPort() {
        return ordersPort;
    }

    int resultsPort() {
        return resultsPort;
    }

    String apiClientId() {
        return apiClientId;
    }

    String apiClientSecret() {
        return apiClientSecret;
    }

    List<ServiceProcess> services() {
        return services;
    }

    ServiceProcess service(String module) {
        return byModule.get(module);
    }

    String url(String module) {
        return "http://127.0.0.1:" + byModule.get(module).port();
    }

    /**
     * A second ingress instance on the same broker, database and directory, for tests of what instances share; its
     * MLLP listeners cannot bind the ports the first holds on this one host, its HTTP endpoint serves. The caller
     * closes it.
     */
    ServiceProcess startSecondIngress() {
        var second = ServiceProcess.start("ingress-service", Ports.free(), ingressEnvironment,
                LOGS.resolve("ingress-service-2.log"));
        ServiceProcess.awaitHealthy(List.of(second), Duration.ofMinutes(2));
        return second;
    }

    /** A service's API with {@code token}. */
    Api api(String module, String token) {
        return new Api(url(module), token);
    }

    /** A Lab Ops admin's token (the demo admin). */
    String adminToken() {
        return tenantService.tokens().person(tenantService.console(), "admin", ADMIN_PASSWORD);
    }

    /** The demo tenant admin's token. */
    String tenantAdminToken() {
        return tenantService.tokens().person(tenantService.console(), "demo-admin", TENANT_ADMIN_PASSWORD);
    }

    /**
     * Another instance of {@code module} with the first one's settings plus {@code extra}, on its own port and log
     * ({@code module-2.log}); healthy when returned. The caller kills or closes it.
     */
    ServiceProcess startSecond(String module, Map<String, String> extra) {
        var environment = new HashMap<>(environments.get(module));
        environment.putAll(extra);
        var second = ServiceProcess.start(module, Ports.free(), environment, LOGS.resolve(module + "-2.log"));
        ServiceProcess.awaitHealthy(List.of(second), Duration.ofMinutes(2));
        return second;
    }

    private void start(String module, int port, Map<String, String> common, Map<String, String> own) {
        var environment = new HashMap<>(common);
        environment.putAll(own);
        environments.put(module, environment);
        var process = ServiceProcess.start(module, port, environment, LOGS.resolve(module + ".log"));
        services.add(process);
        byModule.put(module, process);
    }

    private void stop() {
        services.parallelStream().forEach(ServiceProcess::close);
        receiver.stop();
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        var merged = new HashMap<>(a);
        merged.putAll(b);
        return merged;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return Base64.getEncoder().encodeToString(value).replace('/', 'x').replace('+', 'y');
    }
}
