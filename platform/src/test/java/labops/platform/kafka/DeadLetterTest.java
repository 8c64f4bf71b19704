package labops.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.DeadLetterHeaders.Code;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

class DeadLetterTest {

    private static final Instant FIRST = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void aRecordFailingOverRetryHopsKeepsWhereAndWhenItFirstFailedAndCountsItsAttempts() {
        var read = new ConsumerRecord<>("labops.canonical.results", 4, 1234L, "key", "value");
        var first = DeadLetter.nextHop(read, Code.UNDELIVERABLE, "webhook answered HTTP 503", "delivery", FIRST);
        var retry = new ConsumerRecord<>("labops.canonical.results.delivery-retry-0", 1, 7L, "key", "value");
        first.writeTo(retry.headers());

        var second = DeadLetter.nextHop(retry, Code.UNDELIVERABLE, "webhook unreachable: ConnectException", "delivery",
                FIRST.plusSeconds(5));

        assertThat(second).isEqualTo(new DeadLetter(Code.UNDELIVERABLE, "webhook unreachable: ConnectException",
                "delivery", "labops.canonical.results", 4, 1234L, FIRST, 2));
    }

    @Test
    void headersForSpringsPublishingReplaceTheOnesAnEarlierHopWrote() {
        Headers replacing = new DeadLetter(Code.UNDELIVERABLE, "why", "delivery", "topic", 0, 1L, FIRST, 3).replacing();

        assertThat(replacing.toArray()).hasSize(DeadLetterHeaders.ALL.size())
                .allMatch(header -> header instanceof DeadLetterPublishingRecoverer.SingleRecordHeader);
        assertThat(new String(replacing.lastHeader(DeadLetterHeaders.ATTEMPTS).value(), StandardCharsets.UTF_8))
                .isEqualTo("3");
    }
}
