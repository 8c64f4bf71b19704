package labops.normalizer.kafka;

import labops.normalizer.NormalizerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The platform's producer writes canonical events (Avro) and dead-letter copies of raw messages (bytes as received);
 * with {@code transaction-id-prefix} set, both commit atomically with the batch's consumed offsets.
 */
@Configuration
class NormalizerKafkaConfiguration {

    /**
     * A batch rolled back (registry or broker unreachable) is read again after a pause that grows to
     * {@code max-interval} and stays there: a transient failure is waited out, never turned into dead letters.
     * Messages that cannot be mapped never get here; the listener dead-letters them in the batch's transaction.
     */
    @Bean
    DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(NormalizerProperties properties) {
        var retry = properties.retry();
        var backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        return new DefaultAfterRollbackProcessor<>(backOff);
    }
}
