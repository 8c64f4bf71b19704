package labops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real token issuer and tenant directory, tenant-service, from its built jar in its own JVM, against the shared
 * Kafka, registry and PostgreSQL: what every other service's tests get their tokens and tenants from. It has a Lab Ops
 * admin, the console client and a service client for each Lab Ops service that reads secrets.
 */
public final class TenantServiceProcess implements AutoCloseable {

    public static final String ADMIN = "labops-admin";
    public static final String ADMIN_PASSWORD = "labops-admin-password-for-tests";
    public static final String SERVICE_SECRET = "service-secret-for-tests";
    /** Lab Ops services that hold a client of their own. */
    public static final List<String> SERVICE_CLIENTS = List.of("ingress", "delivery");

    private final ServiceProcess process;
    private final String issuer;
    private final TokenClient.ConsoleClient console;
    private final String encryptionKey;
    private final Map<String, String> environment;

    private TenantServiceProcess(ServiceProcess process, String issuer, TokenClient.ConsoleClient console,
                                 String encryptionKey, Map<String, String> environment) {
        this.process = process;
        this.issuer = issuer;
        this.console = console;
        this.encryptionKey = encryptionKey;
        this.environment = environment;
    }

    /**
     * Starts tenant-service on a free port with {@code extra} environment (e.g. the demo tenant) and waits until it
     * is healthy. {@code consoleRedirect} is the console's callback URL.
     */
    public static TenantServiceProcess start(Path logs, String consoleRedirect, Map<String, String> extra) {
        int port = Ports.free();
        String issuer = "http://127.0.0.1:" + port;
        var console = new TokenClient.ConsoleClient("labops-console", "console-secret-for-tests", consoleRedirect);
        String key = randomKey();
        Map<String, String> env = new HashMap<>(LabOpsInfrastructure.environment());
        env.put("LABOPS_SECURITY_ISSUER", issuer);
        env.put("LABOPS_TENANT_AUTH_PUBLICURLS_ISSUER", issuer);
        env.put("LABOPS_TENANT_ENCRYPTION_KEYS_K1", key);
        env.put("LABOPS_TENANT_AUTH_BOOTSTRAPADMIN_USERNAME", ADMIN);
        env.put("LABOPS_TENANT_AUTH_BOOTSTRAPADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("LABOPS_TENANT_AUTH_CONSOLE_CLIENTID", console.clientId());
        env.put("LABOPS_TENANT_AUTH_CONSOLE_CLIENTSECRET", console.clientSecret());
        env.put("LABOPS_TENANT_AUTH_CONSOLE_REDIRECTURIS", consoleRedirect);
        env.put("LABOPS_TENANT_AUTH_CONSOLE_LOGOUTURI", URI.create(consoleRedirect).resolve("/").toString());
        // Every test client calls from 127.0.0.1, some failing on purpose: an address lock would stop the rest.
        env.put("LABOPS_TENANT_AUTH_THROTTLE_ADDRESSFAILURES", "1000");
        for (String service : SERVICE_CLIENTS) {
            env.put("LABOPS_TENANT_AUTH_SERVICECLIENTS_" + service.toUpperCase(), SERVICE_SECRET);
        }
        env.putAll(extra);
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var process = ServiceProcess.start("tenant-service", port, env, logs.resolve("tenant-service.log"));
        ServiceProcess.awaitHealthy(List.of(process), Duration.ofMinutes(3));
        return new TenantServiceProcess(process, issuer, console, key, Map.copyOf(env));
    }

    /**
     * A second instance of the same tenant-service: same database, keys, clients and issuer name (tokens it issues
     * name the first's URL, as behind one load balancer), on a port of its own. The caller stops it.
     */
    public ServiceProcess startSecond(Path logs) {
        var second = ServiceProcess.start("tenant-service", Ports.free(), environment,
                logs.resolve("tenant-service-2.log"));
        ServiceProcess.awaitHealthy(List.of(second), Duration.ofMinutes(3));
        return second;
    }

    public String issuer() {
        return issuer;
    }

    public int port() {
        return process.port();
    }

    public TokenClient tokens() {
        return new TokenClient(issuer);
    }

    public TokenClient.ConsoleClient console() {
        return console;
    }

    public ServiceProcess process() {
        return process;
    }

    /** The encryption key tenant-service seals secrets with (a test looking for plaintext needs none of it). */
    public String encryptionKey() {
        return encryptionKey;
    }

    /** A fresh Lab Ops admin token. */
    public String adminToken() {
        return tokens().person(console, ADMIN, ADMIN_PASSWORD);
    }

    /** The admin API with {@code token}. */
    public Api api(String token) {
        return new Api(issuer, token);
    }

    /** Environment for a service that validates this issuer's tokens and, for {@code clientId}, gets its own. */
    public Map<String, String> clientEnvironment(String clientId) {
        Map<String, String> env = new HashMap<>();
        env.put("LABOPS_SECURITY_ISSUER", issuer);
        if (clientId != null) {
            env.put("LABOPS_SECURITY_CLIENTID", clientId);
            env.put("LABOPS_SECURITY_CLIENTSECRET", SERVICE_SECRET);
        }
        return env;
    }

    @Override
    public void close() {
        process.close();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
