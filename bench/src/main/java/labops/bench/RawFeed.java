package labops.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes raw ORM^O01 records as ingress would (exact bytes, the raw header contract, a key per patient), each with its
 * own MSH-10, patient and placer number: a backlog for the normalizer to work through.
 */
final class RawFeed {

    private final String template;

    RawFeed() throws java.io.IOException {
        this.template = Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\r").replace('\n', '\r');
    }

    /** {@code count} records for {@code tenant}, spread over {@code patients} patients. */
    void write(String bootstrap, String tenant, int count, int patients) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            String received = Instant.now().toString();
            // A new sender's id per run: the normalizer would take a rerun's messages for copies of the last run's.
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < count; i++) {
                String patient = "MRN-" + (i % patients);
                String message = template.replace("MSG-ORM-0001", "BENCH-" + i).replace("MRN-100234", patient)
                        .replace("PON-1001", "PON-B" + i + "A").replace("PON-1002", "PON-B" + i + "B");
                var record = new ProducerRecord<String, byte[]>(Topics.RAW_HL7V2, tenant + "|" + patient,
                        message.getBytes(StandardCharsets.ISO_8859_1));
                Map.of(RawHeaders.TENANT, tenant, RawHeaders.ENVIRONMENT, "sandbox", RawHeaders.CHANNEL, "mllp",
                                RawHeaders.CONTENT_TYPE, "application/hl7-v2", RawHeaders.RECEIVED_AT, received,
                                RawHeaders.MESSAGE_ID, UUID.randomUUID().toString(),
                                RawHeaders.IDEMPOTENCY_KEY, "BENCH|" + run + "|" + i,
                                RawHeaders.SENDER_ADDRESS, "127.0.0.1:1",
                                RawHeaders.CREDENTIAL_ID, "bench")
                        .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }
    }
}
