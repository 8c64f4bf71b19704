package labops.testsupport;

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

    /** Points a Spring Boot service at Kafka and the registry. */
    public static void registerKafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> kafka().bootstrapServers());
        registry.add("labops.schema-registry.url", () -> registry().apicurioUrl());
    }

    /** Points a Spring Boot service at Kafka, the registry and PostgreSQL. */
    public static void register(DynamicPropertyRegistry registry) {
        registerKafka(registry);
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
