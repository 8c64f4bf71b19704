package labops.testsupport;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real infrastructure a test needs, started once per test JVM on first use and stopped when it exits:
 * a KRaft Kafka broker with the topic catalogue, an Apicurio schema registry and PostgreSQL 17.
 *
 * <p>In a Spring test: {@code @DynamicPropertySource static void infra(DynamicPropertyRegistry r) {
 * LabOpsInfrastructure.register(r); }}.
 */
public final class LabOpsInfrastructure {

    private static final Shared<KafkaBroker> KAFKA = new Shared<>(KafkaBroker::start);
    private static final Shared<RegistryServer> REGISTRY = new Shared<>(RegistryServer::start);
    private static final Shared<PostgresServer> POSTGRES = new Shared<>(PostgresServer::start);
    private static final Shared<TenantServiceProcess> TENANT_SERVICE = new Shared<>(() -> TenantServiceProcess.start(
            Path.of("target", "tenant-service-logs"), "http://127.0.0.1:1/login/oauth2/code/labops", Map.of()));

    private LabOpsInfrastructure() {
    }

    public static KafkaBroker kafka() {
        return KAFKA.get();
    }

    public static RegistryServer registry() {
        return REGISTRY.get();
    }

    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    /**
     * The real tenant-service (token issuer, tenant directory) from its built jar, started on first use. Tests of
     * other services get tenants and tokens from it.
     */
    public static TenantServiceProcess tenantService() {
        return TENANT_SERVICE.get();
    }

    /** Environment variables pointing a service process at Kafka, the registry and PostgreSQL. */
    public static Map<String, String> environment() {
        return Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka().bootstrapServers(),
                "LABOPS_SCHEMA_REGISTRY_URL", registry().apicurioUrl(),
                "SPRING_DATASOURCE_URL", postgres().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", PostgresServer.USER,
                "SPRING_DATASOURCE_PASSWORD", "",
                "LABOPS_AUDIT_CHAIN_KEYS_K1", AUDIT_CHAIN_KEY);
    }

    /** The audit chain's key in tests (base64 of 32 bytes); only audit-service reads it. */
    public static final String AUDIT_CHAIN_KEY = "YXVkaXQtY2hhaW4ta2V5LWZvci10ZXN0cy0zMi1ieXRlcyE=";

    /** Points a Spring Boot service at the shared tenant-service: its issuer, and this service's own client. */
    public static void registerIssuer(DynamicPropertyRegistry registry, String clientId) {
        registry.add("labops.security.issuer", () -> tenantService().issuer());
        if (clientId != null) {
            registry.add("labops.security.client-id", () -> clientId);
            registry.add("labops.security.client-secret", () -> TenantServiceProcess.SERVICE_SECRET);
        }
    }

    /** Points a Spring Boot service at Kafka and the registry. */
    public static void registerKafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> kafka().bootstrapServers());
        registry.add("labops.schema-registry.url", () -> registry().apicurioUrl());
    }

    /** Points a Spring Boot service at Kafka, the registry and PostgreSQL. */
    public static void register(DynamicPropertyRegistry registry) {
        registerKafka(registry);
        registerDatabase(registry);
        registry.add("labops.audit.chain.keys.k1", () -> AUDIT_CHAIN_KEY);
    }

    /** Points a Spring Boot service at the shared PostgreSQL. */
    public static void registerDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres().jdbcUrl());
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
        registry.add("spring.datasource.password", () -> "");
    }

    private static final class Shared<T extends AutoCloseable> {
        private final Supplier<T> starter;
        private T instance;

        Shared(Supplier<T> starter) {
            this.starter = starter;
        }

        synchronized T get() {
            if (instance == null) {
                T started = starter.get();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (Exception ignored) {
                        // the JVM is going away; nothing left to tell
                    }
                }));
                instance = started;
            }
            return instance;
        }
    }
}
