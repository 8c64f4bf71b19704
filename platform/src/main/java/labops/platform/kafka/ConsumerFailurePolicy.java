package labops.platform.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import labops.schemas.DeadLetterHeaders.Code;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The one failure policy of every Lab Ops consumer, declared here and nowhere else.
 *
 * <ul>
 * <li>A record whose bytes cannot be decoded (the value deserializer is wrapped in an {@code ErrorHandlingDeserializer}
 * by {@link LabOpsKafkaConfiguration}) goes to its consumer's dead-letter topic at once.</li>
 * <li>A record that fails for its own content ({@link ConsumerFailures#isOutage} says no) is tried
 * {@code attempts} times in all, then dead-lettered; a batch listener names it with
 * {@code BatchListenerFailedException} ({@link BatchFailures} does that), so the records before it commit and the ones
 * after it are read again.</li>
 * <li>An outage (database, broker, registry) is waited out with growing pauses, however long it lasts: nothing is
 * dead-lettered because a dependency was down.</li>
 * </ul>
 *
 * <p>Each consumer group dead-letters to its own topic ({@link Topics#consumerDeadLetter}), the record's key, value and
 * headers unchanged, with the {@link DeadLetter} headers added: Spring's exception message and stack trace headers
 * are left out, since a database's message can quote the value it refused.
 */
public final class ConsumerFailurePolicy {

    private static final Logger log = LoggerFactory.getLogger(ConsumerFailurePolicy.class);
    /** Records currently failing, remembered for their first-failed-at; bounded whatever happens. */
    private static final int TRACKED = 10_000;

    private final LabOpsKafkaProperties.ConsumerFailure settings;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Failing> failing = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failing> eldest) {
            return size() > TRACKED;
        }
    };

    private record Failing(Instant firstFailedAt, int attempts) {
    }

    public ConsumerFailurePolicy(LabOpsKafkaProperties.ConsumerFailure settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    /** The error handler for a service's listener containers, dead-lettering through {@code template}. */
    public DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template) {
        var recoverer = new DeadLetterPublishingRecoverer(template,
                (record, failure) -> new TopicPartition(Topics.consumerDeadLetter(KafkaUtils.getConsumerGroupId()), -1));
        recoverer.excludeHeader(HeadersToAdd.EX_MSG, HeadersToAdd.EX_STACKTRACE);
        recoverer.setHeadersFunction((record, failure) -> headers(record, failure, KafkaUtils.getConsumerGroupId()));
        var handler = new DefaultErrorHandler(recoverer, outageBackOff());
        handler.setBackOffFunction((record, failure) -> ConsumerFailures.isOutage(failure) ? outageBackOff()
                : new FixedBackOff(settings.retryInterval().toMillis(), Math.max(0, settings.attempts() - 1)));
        handler.setRetryListeners(new Tracker());
        // A changed exception (the database came back, and now the record itself fails) is classified again.
        handler.setReclassifyOnExceptionChange(true);
        return handler;
    }

    /** The dead-letter headers for {@code record}, dead-lettered by consumer group {@code group}. */
    Headers headers(ConsumerRecord<?, ?> record, Exception failure, String group) {
        Failing state;
        synchronized (failing) {
            state = failing.remove(key(record));
        }
        Code code = ConsumerFailures.code(failure);
        meters.counter("labops.consumer.dead.lettered", "group", String.valueOf(group), "code", code.wire())
                .increment();
        log.warn("event=consumer-dead-lettered group={} topic={} partition={} offset={} code={}", group,
                record.topic(), record.partition(), record.offset(), code.wire());
        return DeadLetter.of(record, code, ConsumerFailures.reason(failure), group,
                state == null ? clock.instant() : state.firstFailedAt(), state == null ? 1 : state.attempts())
                .writeTo(new RecordHeaders());
    }

    /** Waits out an outage: pauses growing to the configured maximum, without end. */
    private BackOff outageBackOff() {
        var backOff = new ExponentialBackOff(settings.outageInitialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(settings.outageMaxInterval().toMillis());
        return backOff;
    }

    private static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Remembers when each failing record first failed and how often, for its dead-letter headers. */
    private final class Tracker implements RetryListener {

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int deliveryAttempt) {
            synchronized (failing) {
                failing.merge(key(record), new Failing(clock.instant(), deliveryAttempt),
                        (was, now) -> new Failing(was.firstFailedAt(), deliveryAttempt));
            }
        }

        @Override
        public void recovered(ConsumerRecord<?, ?> record, Exception failure) {
            synchronized (failing) {
                failing.remove(key(record));
            }
        }
    }
}
