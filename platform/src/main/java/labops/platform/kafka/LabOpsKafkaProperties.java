package labops.platform.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka settings of Lab Ops beyond Spring Boot's {@code spring.kafka.*}.
 *
 * @param schemaRegistry where Avro schemas are registered and looked up
 * @param topics         whether and how services create the topic catalogue at start-up
 */
@ConfigurationProperties("labops")
public record LabOpsKafkaProperties(@DefaultValue SchemaRegistry schemaRegistry, @DefaultValue Topics topics) {

    /** @param url Apicurio v2 API base URL, e.g. {@code http://registry:8080/apis/registry/v2} */
    public record SchemaRegistry(@DefaultValue("http://127.0.0.1:8090/apis/registry/v2") String url) {
    }

    /**
     * @param create            create missing catalogue topics at start-up (off where an operator such as Strimzi owns them)
     * @param replicationFactor replication factor of created topics: 1 on one machine, 3 in production
     */
    public record Topics(@DefaultValue("true") boolean create, @DefaultValue("1") short replicationFactor) {
    }
}
