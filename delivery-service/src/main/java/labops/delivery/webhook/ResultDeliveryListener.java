package labops.delivery.webhook;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import labops.delivery.destination.DestinationDirectory;
import labops.delivery.destination.ResultDestination;
import labops.delivery.outcome.DeliveryOutcomes;
import labops.events.LabResultEvent;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.outbound.OutboundAddressRefusedException;
import labops.platform.tenant.EnvironmentNames;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.retrytopic.TopicSuffixingStrategy;
import org.springframework.stereotype.Component;

/**
 * Sends each released result (workflow releases them under the tenant's policy) to its tenant environment's webhook,
 * signed Standard Webhooks style. A failed attempt moves the result to the next retry topic; after the last one it
 * lands in the delivery DLT. Every attempt is recorded and audited; a result that was delivered is never sent again.
 * What came of it, delivered or failed for good, goes to {@code labops.delivery.outcomes}.
 */
@Component
class ResultDeliveryListener {

    private static final Logger log = LoggerFactory.getLogger(ResultDeliveryListener.class);

    private final DestinationDirectory destinations;
    private final DeliveryAttempts attempts;
    private final AuditPublisher audit;
    private final WebhookSender webhooks;
    private final DeliveryOutcomes outcomes;

    ResultDeliveryListener(DestinationDirectory destinations, DeliveryAttempts attempts, AuditPublisher audit,
                           WebhookSender webhooks, DeliveryOutcomes outcomes) {
        this.outcomes = outcomes;
        this.destinations = destinations;
        this.attempts = attempts;
        this.audit = audit;
        this.webhooks = webhooks;
    }

    @RetryableTopic(
            attempts = "" + Topics.DELIVERY_ATTEMPTS,
            backOff = @BackOff(
                    delayString = "#{T(org.springframework.boot.convert.DurationStyle)"
                            + ".detectAndParse('${labops.delivery.retry.first-delay:5s}').toMillis()}",
                    multiplierString = "${labops.delivery.retry.multiplier:3.0}"),
            retryTopicSuffix = Topics.DELIVERY_RETRY_SUFFIX,
            dltTopicSuffix = Topics.DELIVERY_DEAD_LETTER_SUFFIX,
            topicSuffixingStrategy = TopicSuffixingStrategy.SUFFIX_WITH_INDEX_VALUE,
            autoCreateTopics = "false",
            // An address the outbound policy refuses stays refused: straight to the DLT, no retry reaches it.
            exclude = DestinationRefusedException.class,
            kafkaTemplate = "kafkaTemplate")
    @KafkaListener(topics = Topics.RESULTS_RELEASED)
    void deliver(LabResultEvent result) throws Exception {
        var history = attempts.history(result.getEventId());
        if (history.delivered()) {
            // Reported again: the first report may be what failed after the delivery.
            outcomes.delivered(result, history.destinationId(), history.attempts());
            log.info("event=already-delivered eventId={} tenant={}", result.getEventId(), result.getTenantId());
            return;
        }
        String environment = EnvironmentNames.of(result.getEnvironment());
        int attempt = history.attempts() + 1;
        var lookup = destinations.find(result.getTenantId(), environment);
        if (lookup instanceof DestinationDirectory.Refused refused) {
            fail(result, environment, null, attempt, null, refused.reason());
        }
        var destination = ((DestinationDirectory.Found) lookup).destination();
        Integer status = null;
        try {
            status = webhooks.send(destination, result);
        } catch (OutboundAddressRefusedException e) {
            record(result, environment, destination, attempt, null, "destination refused: " + e.reason());
            throw new DestinationRefusedException(e.reason());
        } catch (IOException e) {
            fail(result, environment, destination, attempt, null, "webhook unreachable: " + unreachable(e));
        }
        if (status / 100 != 2) {
            fail(result, environment, destination, attempt, status, "webhook answered HTTP " + status);
        }
        attempts.record(result.getEventId(), result.getTenantId(), environment, destination.id(), attempt, true,
                status, null);
        report(result, environment, "success", "attempt " + attempt + " delivered: HTTP " + status);
        outcomes.delivered(result, destination.id(), attempt);
        log.info("event=delivered eventId={} tenant={} attempt={} status={}", result.getEventId(), result.getTenantId(),
                attempt, status);
    }

    /**
     * A record on the delivery DLT. One whose bytes are no result (undecodable, sent there at once by the retry topics'
     * recoverer) is only logged: it names no tenant to tell, and failing here would send it round the DLT for ever.
     */
    @DltHandler
    void deadLetter(ConsumerRecord<String, LabResultEvent> record) throws Exception {
        LabResultEvent result = record.value();
        if (result == null) {
            log.warn("event=undecodable-result-dead-lettered partition={} offset={}", record.partition(),
                    record.offset());
            return;
        }
        String environment = EnvironmentNames.of(result.getEnvironment());
        var history = attempts.history(result.getEventId());
        outcomes.failed(result, history.destinationId(), history.attempts(), history.lastReason());
        audit.publish(new AuditDecision("delivery.dead-lettered", "failure", result.getTenantId(), environment,
                result.getSource().getRawMessageId(), result.getEventId().toString(),
                "no further attempts (see the attempts before); record on " + Topics.deliveryDeadLetter(),
                audit.actor(), Instant.now())).get(10, TimeUnit.SECONDS);
        log.warn("event=delivery-dead-lettered eventId={} tenant={}", result.getEventId(), result.getTenantId());
    }

    /** In words an integration engineer searches for; never the exception's text, which may quote the address. */
    private static String unreachable(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        } else if (e instanceof java.io.InterruptedIOException) {
            return "timed out";
        } else if (e instanceof java.net.UnknownHostException) {
            return "host not found";
        } else if (e instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed";
        }
        return e.getClass().getSimpleName();
    }

    private void fail(LabResultEvent result, String environment, ResultDestination destination, int attempt,
                      Integer status, String reason) throws Exception {
        record(result, environment, destination, attempt, status, reason);
        throw new DeliveryFailedException(reason);
    }

    private void record(LabResultEvent result, String environment, ResultDestination destination, int attempt,
                        Integer status, String reason) throws Exception {
        attempts.record(result.getEventId(), result.getTenantId(), environment,
                destination == null ? null : destination.id(), attempt, false, status, reason);
        report(result, environment, "failure", "attempt " + attempt + ": " + reason);
        log.warn("event=delivery-failed eventId={} tenant={} attempt={} reason=\"{}\"", result.getEventId(),
                result.getTenantId(), attempt, reason);
    }

    private void report(LabResultEvent result, String environment, String outcome, String detail) throws Exception {
        audit.publish(new AuditDecision("delivery.attempted", outcome, result.getTenantId(), environment,
                result.getSource().getRawMessageId(), result.getEventId().toString(), detail, audit.actor(),
                Instant.now())).get(10, TimeUnit.SECONDS);
    }
}
