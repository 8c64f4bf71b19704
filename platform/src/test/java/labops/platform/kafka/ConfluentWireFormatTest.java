package labops.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.events.LabOrderEvent;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Canonical events written with our Apicurio serde settings can be read by a consumer that knows only
 * the Confluent wire format and the registry's Confluent-compatible API: nothing Apicurio-specific.
 */
class ConfluentWireFormatTest {

    @Test
    void labOrderEventIsReadableWithAPlainAvroDecoderAndTheConfluentApi() throws Exception {
        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        var registry = LabOpsInfrastructure.registry();
        String placer = "PON-" + UUID.randomUUID();
        LabOrderEvent sent = SampleEvents.labOrder("tenant-wire-test", placer);

        Map<String, Object> producerConfig = AvroSerdes.producerConfig(registry.apicurioUrl());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroEventSerializer.class);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        var metadata = new Object() {
            org.apache.kafka.clients.producer.RecordMetadata value;
        };
        try (var producer = new KafkaProducer<String, LabOrderEvent>(producerConfig)) {
            metadata.value = producer.send(new ProducerRecord<>(Topics.CANONICAL_ORDERS, placer, sent)).get();
        }

        byte[] value = readValueAt(bootstrap, new TopicPartition(Topics.CANONICAL_ORDERS, metadata.value.partition()),
                metadata.value.offset());

        assertThat(value[0]).as("Confluent magic byte").isZero();
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        var reader = new ConfluentAvroReader(registry.confluentUrl());
        assertThat(reader.schema(schemaId).getFullName()).isEqualTo("labops.events.LabOrderEvent");

        GenericRecord decoded = reader.decode(value);
        assertThat(decoded.get("eventId").toString()).isEqualTo(sent.getEventId().toString());
        assertThat(decoded.get("tenantId").toString()).isEqualTo("tenant-wire-test");
        assertThat(decoded.get("action").toString()).isEqualTo("NEW");
        assertThat(((GenericRecord) decoded.get("placerOrderNumber")).get("value").toString()).isEqualTo(placer);
        var tests = (List<?>) decoded.get("tests");
        assertThat(((GenericRecord) tests.get(0)).get("code").toString()).isEqualTo("2345-7");
        assertThat(decoded.get("occurredAt")).isEqualTo(sent.getOccurredAt().toEpochMilli());
    }

    @Test
    void postgresIsARealPostgresql17() throws Exception {
        try (var connection = LabOpsInfrastructure.postgres().dataSource().getConnection();
             var result = connection.createStatement().executeQuery("show server_version")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).startsWith("17.");
        }
    }

    private static byte[] readValueAt(String bootstrap, TopicPartition partition, long offset) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (var consumer = new KafkaConsumer<byte[], byte[]>(config)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("record at offset " + offset + " of " + partition + " not read back");
    }
}
