package labops.normalizer.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import labops.schemas.CanonicalHeaders;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A result as a lab sends one with its report embedded: a 9 MB ORU^R01 whose OBX of type ED holds a base64 PDF goes
 * through the raw topic and the normalizer and comes out as a canonical result carrying the PDF, decoded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class LargeMessageTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.register(registry);
    }

    @Test
    void aNineMegabyteResultWithAnEmbeddedPdfBecomesOneCanonicalResult() throws Exception {
        byte[] pdf = new byte[9 * 1024 * 1024 * 3 / 4];
        new Random(7).nextBytes(pdf);
        String oru = Files.readString(Path.of("..", "samples", "oru-r01.hl7"), StandardCharsets.ISO_8859_1).trim()
                + "\rOBX|2|ED|11502-2^Laboratory report^LN||LIS^application^pdf^Base64^"
                + Base64.getEncoder().encodeToString(pdf) + "||||||F\r";
        byte[] payload = oru.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(payload.length).isBetween(9 * 1024 * 1024, TopicSpec.MAX_MESSAGE_BYTES);
        String messageId = UUID.randomUUID().toString();

        RawHl7.publish("large-" + messageId.substring(0, 8), messageId, messageId, payload);

        var event = Eventually.await("the result event", Duration.ofSeconds(60), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.CANONICAL_RESULTS).stream()
                .filter(r -> r.headers().lastHeader(CanonicalHeaders.RAW_MESSAGE_ID) != null && messageId.equals(
                        new String(r.headers().lastHeader(CanonicalHeaders.RAW_MESSAGE_ID).value(), StandardCharsets.UTF_8)))
                .findFirst());
        GenericRecord result = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl()).decode(event.value());
        var observations = (List<?>) result.get("observations");
        var attachment = (GenericRecord) ((GenericRecord) observations.get(1)).get("value");
        assertThat(attachment.get("contentType").toString()).isEqualTo("application/pdf");
        assertThat((ByteBuffer) attachment.get("data")).isEqualTo(ByteBuffer.wrap(pdf));
    }
}
