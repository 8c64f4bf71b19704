package labops.normalizer.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import labops.schemas.CanonicalHeaders;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Raw records a hostile or unlucky sender could get onto a raw topic: each costs itself (a dead letter with its
 * reason), and the message after it is normalized as usual; nothing is rolled back and retried for ever.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class PoisonMessagesTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.register(registry);
    }

    @Test
    void aSendersIdTheDatabaseCannotStoreCostsItsMessageAloneAndTheNextIsNormalized() throws Exception {
        String tenant = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        String poison = UUID.randomUUID().toString();
        String ordinary = UUID.randomUUID().toString();
        RawHl7.publish(tenant, poison, "EHR|HOSP|CTRL\0NUL", sample());
        RawHl7.publish(tenant, ordinary, "EHR|HOSP|CTRL-OK", sample());

        awaitOrders(ordinary);
        var dead = awaitDeadLetter(poison);
        assertThat(header(dead, DeadLetterHeaders.CODE)).isEqualTo("unstorable");
        assertThat(header(dead, DeadLetterHeaders.REASON))
                .startsWith("the copy check failed: the database refused the record (SQLSTATE 22");
        assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("normalizer");
        assertThat(header(dead, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.RAW_HL7V2);
        assertThat(header(dead, RawHeaders.IDEMPOTENCY_KEY)).as("the raw headers are kept").isEqualTo("EHR|HOSP|CTRL\0NUL");
    }

    @Test
    void theSameControlIdWithOtherContentIsDeadLetteredNotDroppedAsACopy() throws Exception {
        String tenant = "reuse-" + UUID.randomUUID().toString().substring(0, 8);
        String first = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String copy = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        byte[] sample = sample();
        byte[] otherContent = new String(sample, StandardCharsets.ISO_8859_1).replace("PON-1001", "PON-2002")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHl7.publish(tenant, first, "EHR|HOSP|REUSED-1", sample);
        RawHl7.publish(tenant, other, "EHR|HOSP|REUSED-1", otherContent);
        RawHl7.publish(tenant, copy, "EHR|HOSP|REUSED-1", sample);
        RawHl7.publish(tenant, after, "EHR|HOSP|REUSED-2", otherContent);

        awaitOrders(first);
        awaitOrders(after);
        var dead = awaitDeadLetter(other);
        assertThat(header(dead, DeadLetterHeaders.CODE)).isEqualTo("conflicting-copy");
        assertThat(header(dead, DeadLetterHeaders.REASON)).startsWith("MSH-10 (message control id, with MSH-3 and MSH-4)"
                + " was used within the duplicate window by a message with other content");
        var orders = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.CANONICAL_ORDERS);
        assertThat(orders).as("neither the conflict nor the copy became events")
                .noneMatch(r -> List.of(other, copy).contains(header(r, CanonicalHeaders.RAW_MESSAGE_ID)));
        assertThat(deadLetters()).as("a true copy is no dead letter").noneMatch(r -> copy.equals(header(r,
                RawHeaders.MESSAGE_ID)));
    }

    private static byte[] sample() throws Exception {
        return Files.readAllBytes(Path.of("..", "samples", "orm-o01-v23.hl7"));
    }

    private static void awaitOrders(String messageId) {
        Eventually.await("orders of " + messageId, Duration.ofSeconds(60), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.CANONICAL_ORDERS).stream()
                .filter(r -> messageId.equals(header(r, CanonicalHeaders.RAW_MESSAGE_ID))).findFirst());
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String messageId) {
        return Eventually.await("dead letter " + messageId, Duration.ofSeconds(60), () -> deadLetters().stream()
                .filter(r -> messageId.equals(header(r, RawHeaders.MESSAGE_ID))).findFirst());
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                Topics.deadLetterOf(Topics.RAW_HL7V2));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
