package labops.delivery.webhook;

import java.time.Instant;
import java.util.function.Consumer;
import labops.platform.kafka.ConsumerFailures;
import labops.platform.kafka.DeadLetter;
import labops.schemas.DeadLetterHeaders.Code;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.retrytopic.DeadLetterPublishingRecovererFactory;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationSupport;
import org.springframework.kafka.retrytopic.RetryTopicSchedulerWrapper;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The delivery DLT in the one dead-letter header format ({@link DeadLetter}): each retry hop carries the headers on,
 * so a result on the DLT names the canonical topic, partition and offset it came from, when its first attempt failed,
 * how many it had, and the last attempt's reason (which names the destination's answer, never the result).
 */
@Configuration(proxyBeanMethods = false)
class DeliveryDeadLetters extends RetryTopicConfigurationSupport {

    static final String STAGE = "delivery";

    /** The retry topics' back-off scheduler, which Spring's own retry-topic bootstrapping would otherwise create. */
    @Bean
    RetryTopicSchedulerWrapper retryTopicScheduler() {
        var scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("delivery-retry-");
        scheduler.initialize();
        return new RetryTopicSchedulerWrapper(scheduler);
    }

    @Override
    protected Consumer<DeadLetterPublishingRecovererFactory> configureDeadLetterPublishingContainerFactory() {
        return factory -> factory.setHeadersFunction(DeliveryDeadLetters::headers);
    }

    static Headers headers(ConsumerRecord<?, ?> record, Exception failure) {
        var delivery = ConsumerFailures.find(failure, DeliveryFailedException.class);
        Code code = delivery != null ? Code.UNDELIVERABLE : ConsumerFailures.code(failure);
        String reason = delivery != null ? delivery.getMessage() : ConsumerFailures.reason(failure);
        return DeadLetter.nextHop(record, code, reason, STAGE, Instant.now()).replacing();
    }
}
