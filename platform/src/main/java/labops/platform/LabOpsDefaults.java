package labops.platform;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every Lab Ops service shares, at the lowest precedence: a service's application.yaml,
 * environment variables and command-line arguments all override them. Kept here so six services
 * do not repeat (and drift on) durability and observability settings.
 */
public class LabOpsDefaults implements EnvironmentPostProcessor {

    static final String AVRO_TRUSTED_PACKAGES_PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
    static final String EVENT_PACKAGE = "labops.events";

    static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("spring.kafka.bootstrap-servers", "127.0.0.1:9092"),
            Map.entry("labops.schema-registry.url", "http://127.0.0.1:8090/apis/registry/v2"),
            // A raw message is acknowledged to the sender only once every in-sync replica has it.
            Map.entry("spring.kafka.producer.acks", "all"),
            Map.entry("spring.kafka.producer.properties.enable.idempotence", "true"),
            Map.entry("spring.kafka.consumer.auto-offset-reset", "earliest"),
            Map.entry("spring.kafka.consumer.enable-auto-commit", "false"),
            // Consumers never see events of an aborted normalizer transaction.
            Map.entry("spring.kafka.consumer.isolation-level", "read-committed"),
            Map.entry("management.endpoints.web.exposure.include", "health,info,prometheus"),
            Map.entry("management.endpoint.health.probes.enabled", "true"),
            // Ready only once the tenant directory is read: before that every tenant decision would be a refusal.
            Map.entry("management.endpoint.health.group.readiness.include", "readinessState,tenantDirectory"),
            // Components and their errors name hosts, ports and versions: for callers with a token, not for anyone.
            Map.entry("management.endpoint.health.show-details", "when-authorized"),
            Map.entry("spring.flyway.create-schemas", "true"),
            Map.entry("spring.datasource.hikari.maximum-pool-size", "5"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("labopsDefaults", DEFAULTS));
        // Avro refuses to instantiate generated classes from untrusted packages; ours are trusted.
        if (System.getProperty(AVRO_TRUSTED_PACKAGES_PROPERTY) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES_PROPERTY, EVENT_PACKAGE);
        }
    }
}
