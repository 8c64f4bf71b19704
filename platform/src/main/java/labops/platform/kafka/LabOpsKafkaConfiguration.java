package labops.platform.kafka;

import java.util.Map;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.core.env.Environment;
import labops.platform.audit.AuditPublisher;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/** Shared Kafka wiring for every service. */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
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

    /**
     * One producer per service for everything it writes: raw bytes, JSON text and Avro events each get their
     * serializer by type, so a transaction can span all of them. Transactional when
     * {@code spring.kafka.producer.transaction-id-prefix} is set, and then retrying after 10 ms unless told otherwise.
     */
    @Bean
    @ConditionalOnMissingBean(ProducerFactory.class)
    ProducerFactory<Object, Object> labOpsProducerFactory(KafkaProperties kafka, LabOpsKafkaProperties labops) {
        // The delegating serializer configures its delegates from the producer's own settings.
        Map<String, Object> config = kafka.buildProducerProperties();
        config.putAll(AvroSerdes.producerConfig(labops.schemaRegistry().url()));
        // The largest message with its headers, or the event carrying it: Kafka's own default (1 MB) would turn a
        // result with an embedded report into "not stored, resend later", for ever.
        config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_RECORD_BYTES);
        Map<Class<?>, Serializer<?>> byType = Map.of(
                byte[].class, new ByteArraySerializer(),
                String.class, new StringSerializer(),
                SpecificRecord.class, new AvroEventSerializer<SpecificRecord>());
        var factory = new DefaultKafkaProducerFactory<Object, Object>(config,
                untyped(new StringSerializer()), untyped(new DelegatingByTypeSerializer(byType, true)));
        String transactionIdPrefix = kafka.getProducer().getTransactionIdPrefix();
        if (transactionIdPrefix != null) {
            factory.setTransactionIdPrefix(transactionIdPrefix);
            // Now and then (3% of the normalizer's batches at 1,000 msg/s) a batch's offsets (TxnOffsetCommit)
            // reach the coordinator while the previous commit is still writing its markers and come back
            // CONCURRENT_TRANSACTIONS; the client then waits retry.backoff.ms (Kafka's 100 ms, growing up to
            // retry.backoff.max.ms) before trying again, and every message behind that batch waits too. That wait was
            // the whole end-to-end tail (p99 ~300 ms against p50 ~30 ms; bench/README.md). A service may set its own.
            if (!config.containsKey(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)) {
                factory.updateConfigs(Map.of(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10));
            }
        }
        return factory;
    }

    @Bean
    AuditPublisher auditPublisher(KafkaTemplate<String, Object> kafka, Environment environment) {
        return new AuditPublisher(kafka, environment.getProperty("spring.application.name", "labops"));
    }

    @Bean
    ConsumerFailurePolicy consumerFailurePolicy(LabOpsKafkaProperties labops, MeterRegistry meters) {
        return new ConsumerFailurePolicy(labops.consumerFailure(), meters);
    }

    /**
     * Every listener container's error handler is the shared {@link ConsumerFailurePolicy}: a bad record costs that
     * record (its consumer's dead-letter topic), an outage is waited out. (The normalizer's transactional batches and
     * delivery's retry topics apply the same classification in their own containers.)
     */
    @Bean
    @ConditionalOnMissingBean({CommonErrorHandler.class, AfterRollbackProcessor.class})
    DefaultErrorHandler labOpsErrorHandler(ConsumerFailurePolicy policy, KafkaTemplate<String, Object> kafka) {
        return policy.errorHandler(kafka);
    }

    /** Boot's KafkaTemplate wants a {@code ProducerFactory<Object, Object>}; keys are always strings. */
    @SuppressWarnings("unchecked")
    private static Serializer<Object> untyped(Serializer<?> serializer) {
        return (Serializer<Object>) serializer;
    }

    /**
     * Consumers that read Avro find the registry and decode into the generated classes; every value deserializer is
     * wrapped in an {@link ErrorHandlingDeserializer}, so bytes that cannot be decoded reach the error handler as that
     * one record's failure instead of failing every poll of its partition. Fetch sizes stay Kafka's: a record larger
     * than {@code max.partition.fetch.bytes} (the largest message is) still comes back, alone, first in its fetch.
     */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer labOpsAvroConsumers(LabOpsKafkaProperties labops) {
        return factory -> {
            factory.updateConfigs(AvroSerdes.consumerConfig(labops.schemaRegistry().url()));
            Object deserializer = factory.getConfigurationProperties().get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
            if (deserializer != null && !ErrorHandlingDeserializer.class.equals(deserializer)
                    && !ErrorHandlingDeserializer.class.getName().equals(deserializer)) {
                factory.updateConfigs(Map.of(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class,
                        ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, deserializer));
            }
        };
    }
}
