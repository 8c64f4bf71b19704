package labops.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.ServiceStartupContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
            producer.send(new ProducerRecord<>(Topics.RESULTS_RELEASED, key,
                    "not an Avro result".getBytes(StandardCharsets.UTF_8))).get();
        }

        Eventually.await("the poison on the delivery DLT", Duration.ofSeconds(30), () -> !dead(key).isEmpty()
                ? Optional.of(true) : Optional.empty());
        Thread.sleep(5_000); // the DLT's own consumer has read it by now; a failing handler would send it round again
        assertThat(dead(key)).as("dead-lettered once, not again and again").hasSize(1);
        var record = dead(key).get(0);
        assertThat(header(record, DeadLetterHeaders.CODE)).isEqualTo("undecodable");
        assertThat(header(record, DeadLetterHeaders.STAGE)).isEqualTo("delivery");
        assertThat(header(record, DeadLetterHeaders.REASON)).doesNotContain("not an Avro result");
        assertThat(header(record, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.RESULTS_RELEASED);
        assertThat(header(record, DeadLetterHeaders.ORIGINAL_OFFSET)).isNotNull();
        assertThat(header(record, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(record.headers().headers(DeadLetterHeaders.CODE)).as("one of each, not one per hop").hasSize(1);
    }

    private static List<ConsumerRecord<byte[], byte[]>> dead(String key) {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.deliveryDeadLetter())
                .stream().filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
