package labops.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.DeadLetterHeaders.Code;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Where, when and why a record was dead-lettered, written as {@link DeadLetterHeaders}: the one header format of every
 * dead-letter topic, whoever writes it (ingress, the normalizer, the shared consumer failure policy).
 *
 * @param code          why, for machines
 * @param reason        why, for people: names fields or steps, never values
 * @param stage         the step that gave up on it
 * @param topic         where it was read (or was to be written, for a refusal at the door)
 * @param partition     its partition there, -1 when it was never on a topic
 * @param offset        its offset there, -1 when it was never on a topic
 * @param firstFailedAt when the first attempt failed
 * @param attempts      attempts made, the last included
 */
public record DeadLetter(Code code, String reason, String stage, String topic, int partition, long offset,
                         Instant firstFailedAt, int attempts) {

    /** A record read from Kafka that {@code stage} gives up on after {@code attempts}. */
    public static DeadLetter of(ConsumerRecord<?, ?> record, Code code, String reason, String stage,
                                Instant firstFailedAt, int attempts) {
        return new DeadLetter(code, reason, stage, record.topic(), record.partition(), record.offset(), firstFailedAt,
                attempts);
    }

    /**
     * A record failing on one of a chain of retry topics (spring-kafka's, which delivery uses): each hop carries these
     * headers on, so the record that reaches the DLT names the topic, partition and offset it was first read from,
     * when it first failed and how many attempts it had.
     */
    public static DeadLetter nextHop(ConsumerRecord<?, ?> record, Code code, String reason, String stage, Instant now) {
        var carried = record.headers();
        String topic = text(carried, DeadLetterHeaders.ORIGINAL_TOPIC);
        if (topic == null) {
            return of(record, code, reason, stage, now, 1);
        }
        String partition = text(carried, DeadLetterHeaders.ORIGINAL_PARTITION);
        String offset = text(carried, DeadLetterHeaders.ORIGINAL_OFFSET);
        String firstFailedAt = text(carried, DeadLetterHeaders.FIRST_FAILED_AT);
        String attempts = text(carried, DeadLetterHeaders.ATTEMPTS);
        return new DeadLetter(code, reason, stage, topic, partition == null ? -1 : Integer.parseInt(partition),
                offset == null ? -1 : Long.parseLong(offset), firstFailedAt == null ? now : Instant.parse(firstFailedAt),
                attempts == null ? 1 : Integer.parseInt(attempts) + 1);
    }

    /**
     * These headers for spring-kafka's dead-letter publishing, each replacing one of its name that the record carries
     * (from an earlier hop) instead of being added beside it.
     */
    public Headers replacing() {
        var written = writeTo(new RecordHeaders());
        var replacing = new RecordHeaders();
        for (Header header : written) {
            replacing.add(new DeadLetterPublishingRecoverer.SingleRecordHeader(header.key(), header.value()));
        }
        return replacing;
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Replaces whatever dead-letter headers {@code headers} had (a replayed record's earlier failure) with these. */
    public Headers writeTo(Headers headers) {
        DeadLetterHeaders.ALL.forEach(headers::remove);
        add(headers, DeadLetterHeaders.CODE, code.wire());
        add(headers, DeadLetterHeaders.REASON, reason);
        add(headers, DeadLetterHeaders.STAGE, stage);
        add(headers, DeadLetterHeaders.ORIGINAL_TOPIC, topic);
        if (partition >= 0) {
            add(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(partition));
            add(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(offset));
        }
        add(headers, DeadLetterHeaders.FIRST_FAILED_AT, firstFailedAt.toString());
        add(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
