package labops.normalizer.raw;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import labops.schemas.RawHeaders;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** HL7 v2 messages put on the shared broker's raw topic as ingress puts them, for the normalizer's tests. */
final class RawHl7 {

    private RawHl7() {
    }

    /** {@code payload} as tenant {@code tenant}'s sandbox sent it over MLLP, under the sender's id {@code senderId}. */
    static void publish(String tenant, String messageId, String senderId, byte[] payload) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LabOpsInfrastructure.kafka().bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_RECORD_BYTES);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.RAW_HL7V2, tenant + "|MRN-100234", payload);
            Map.of(RawHeaders.MESSAGE_ID, messageId, RawHeaders.TENANT, tenant, RawHeaders.ENVIRONMENT, "sandbox",
                            RawHeaders.CHANNEL, "mllp", RawHeaders.RECEIVED_AT, Instant.now().toString(),
                            RawHeaders.IDEMPOTENCY_KEY, senderId)
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }
}
