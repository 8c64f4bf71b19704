package labops.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.ServiceStartupContract;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Bytes on the results topic that are no result: dead-lettered once, at once, and the DLT's own consumer moves on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PoisonResultTest extends ServiceStartupContract {

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerIssuer(registry, "delivery");
    }

    @Test
    void anUndecodableResultLandsOnTheDeliveryDltOnceAndStaysThere() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CANONICAL_RESULTS, key,
                    "not an Avro result".getBytes(StandardCharsets.UTF_8))).get();
        }

        Eventually.await("the poison on the delivery DLT", Duration.ofSeconds(30), () -> dead(key) > 0
                ? Optional.of(true) : Optional.empty());
        Thread.sleep(5_000); // the DLT's own consumer has read it by now; a failing handler would send it round again
        assertThat(dead(key)).as("dead-lettered once, not again and again").isEqualTo(1);
    }

    private static long dead(String key) {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.deliveryDeadLetter())
                .stream().filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .count();
    }
}
