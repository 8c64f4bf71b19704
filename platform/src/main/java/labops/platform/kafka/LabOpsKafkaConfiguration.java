package labops.platform.kafka;

import labops.schemas.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** Shared Kafka wiring for every service. */
@AutoConfiguration
@EnableConfigurationProperties(LabOpsKafkaProperties.class)
public class LabOpsKafkaConfiguration {

    /** Spring's KafkaAdmin creates whichever catalogue topics are missing when the service starts. */
    @Bean
    @ConditionalOnProperty(name = "labops.topics.create", matchIfMissing = true)
    KafkaAdmin.NewTopics labOpsTopics(LabOpsKafkaProperties properties) {
        short replicas = properties.topics().replicationFactor();
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), replicas).configs(t.configs()))
                .toArray(NewTopic[]::new));
    }
}
