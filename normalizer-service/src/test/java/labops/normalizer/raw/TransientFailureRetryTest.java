package labops.normalizer.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaBroker;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.Ports;
import labops.testsupport.RegistryServer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The schema registry is down when a message arrives: the normalizer rolls back and retries with back-off,
 * and once the registry is back the events are published, none of them before, nothing dead-lettered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class TransientFailureRetryTest {

    /** Its own broker, so no other test's normalizer consumes this message. */
    private static final KafkaBroker KAFKA = KafkaBroker.start();
    private static final int REGISTRY_PORT = Ports.free();
    private static RegistryServer registry;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) {
        properties.add("spring.kafka.bootstrap-servers", KAFKA::bootstrapServers);
        properties.add("labops.schema-registry.url", () -> "http://127.0.0.1:" + REGISTRY_PORT + "/apis/registry/v2");
        properties.add("labops.normalizer.retry.initial-interval", () -> "1s");
        properties.add("labops.normalizer.retry.multiplier", () -> "1.0");
        // Mapping profiles live in the shared database; only the broker and the registry are this test's own.
        LabOpsInfrastructure.registerDatabase(properties);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        KAFKA.close();
    }

    @Test
    void eventsArePublishedOnceTheRegistryIsBackAndNothingIsDeadLettered() throws Exception {
        String messageId = UUID.randomUUID().toString();
        publishRaw(messageId, Files.readAllBytes(Path.of("..", "samples", "orm-o01-v23.hl7")));

        Thread.sleep(3_000); // a few attempts fail while the registry is unreachable
        Instant registryUp = Instant.now();
        registry = RegistryServer.start(REGISTRY_PORT, null);

        var avro = new ConfluentAvroReader(registry.confluentUrl());
        var orders = Eventually.await("orders after the registry came back", Duration.ofSeconds(60), () -> {
            var records = KafkaTopicReader.readAll(KAFKA.bootstrapServers(), Topics.CANONICAL_ORDERS);
            return records.size() >= 2 ? Optional.of(records) : Optional.empty();
        });
        assertThat(orders).hasSize(2).allSatisfy(record -> {
            assertThat(record.timestamp()).isGreaterThanOrEqualTo(registryUp.toEpochMilli());
            GenericRecord event = avro.decode(record.value());
            assertThat(((GenericRecord) event.get("source")).get("rawMessageId").toString()).isEqualTo(messageId);
        });
        assertThat(KafkaTopicReader.readAll(KAFKA.bootstrapServers(), Topics.deadLetterOf(Topics.RAW_HL7V2))).isEmpty();
    }

    private static void publishRaw(String messageId, byte[] payload) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (var producer = new KafkaProducer<String, byte[]>(config)) {
            var record = new ProducerRecord<>(Topics.RAW_HL7V2, "tenant-r|MRN-100234", payload);
            Map.of(RawHeaders.MESSAGE_ID, messageId, RawHeaders.TENANT, "tenant-r", RawHeaders.ENVIRONMENT, "sandbox",
                            RawHeaders.CHANNEL, "mllp", RawHeaders.RECEIVED_AT, Instant.now().toString())
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }
}
