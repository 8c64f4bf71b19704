package labops.workflow.delivery;

import java.util.List;
import labops.events.DeliveryOutcome;
import labops.events.OrderChangeCause;
import labops.events.ResultDeliveryEvent;
import labops.platform.kafka.BatchFailures;
import labops.platform.tenant.EnvironmentNames;
import labops.schemas.topic.Topics;
import labops.workflow.lifecycle.Lifecycle;
import labops.workflow.lifecycle.LifecycleEvents;
import labops.workflow.record.Records;
import labops.workflow.task.DeliveryFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Delivery's outcomes close the lifecycle: a delivered result moves its order to delivered (its time the last
 * segment of turnaround), a result that failed for good opens a "delivery failed" task for staff. A poll is one
 * transaction; a redelivered poll changes nothing more (the order has moved, the task exists).
 */
@Component
class DeliveryOutcomeListener {

    private final Records records;
    private final LifecycleEvents lifecycle;
    private final DeliveryFailures failures;
    private final TransactionOperations transactions;

    DeliveryOutcomeListener(Records records, LifecycleEvents lifecycle, DeliveryFailures failures,
                            TransactionOperations transactions) {
        this.records = records;
        this.lifecycle = lifecycle;
        this.failures = failures;
        this.transactions = transactions;
    }

    @KafkaListener(topics = Topics.DELIVERY_OUTCOMES, batch = "true")
    void onOutcomes(List<ConsumerRecord<String, ResultDeliveryEvent>> records) {
        BatchFailures.apply(records, transactions, batch -> {
            var outcomes = batch.stream().map(ConsumerRecord::value).toList();
            var sent = lifecycle.publish(this.records.moveAll(outcomes.stream()
                    .filter(o -> o.getOutcome() == DeliveryOutcome.DELIVERED)
                    .map(o -> new Records.Move(o.getTenantId(), EnvironmentNames.of(o.getEnvironment()),
                            o.getOrderNumber(), Lifecycle::onDelivered, OrderChangeCause.DELIVERY_OUTCOME,
                            o.getEventId().toString(), o.getRawMessageId(), null, null, o.getAt()))
                    .toList()));
            failures.apply(outcomes.stream().filter(o -> o.getOutcome() == DeliveryOutcome.FAILED).toList());
            lifecycle.await(sent);
        });
    }
}
