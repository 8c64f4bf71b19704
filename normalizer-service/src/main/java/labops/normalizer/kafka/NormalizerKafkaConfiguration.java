package labops.normalizer.kafka;

import java.nio.charset.StandardCharsets;
import labops.normalizer.NormalizerProperties;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The platform's producer writes canonical events (Avro) and dead-letter copies of raw messages (bytes as
 * received); with {@code transaction-id-prefix} set, both commit atomically with the consumed offset.
 */
@Configuration
class NormalizerKafkaConfiguration {

    /**
     * Transient failures are retried in place with back-off (the transaction is rolled back each time);
     * an unmappable message, or one that keeps failing, goes to {@code <raw topic>.dlt} with the reason in
     * {@code labops-failure-reason}, in a new transaction that also commits its offset.
     */
    @Bean
    DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(KafkaTemplate<String, Object> template,
                                                                        NormalizerProperties properties) {
        var recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.deadLetterOf(record.topic()), -1));
        // Exception texts may quote message content; the DLT gets our reason instead.
        recoverer.excludeHeader(DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_MSG,
                DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE,
                DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_CAUSE);
        recoverer.setHeadersFunction((record, exception) -> {
            var headers = new RecordHeaders();
            headers.add(RawHeaders.FAILURE_REASON, reason(exception).getBytes(StandardCharsets.UTF_8));
            headers.add(RawHeaders.FAILURE_STAGE, "normalizer".getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        var retry = properties.retry();
        var backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxAttempts(retry.maxAttempts() - 1);
        var processor = new DefaultAfterRollbackProcessor<Object, Object>(recoverer, backOff, template, true);
        processor.addNotRetryableExceptions(UnmappableMessageException.class);
        return processor;
    }

    static String reason(Exception exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && !(cause instanceof UnmappableMessageException)) {
            cause = cause.getCause();
        }
        return cause instanceof UnmappableMessageException ? cause.getMessage()
                : "unexpected failure: " + cause.getClass().getSimpleName();
    }

}
