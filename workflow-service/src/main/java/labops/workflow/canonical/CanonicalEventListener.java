package labops.workflow.canonical;

import java.util.List;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.platform.kafka.BatchFailures;
import labops.schemas.topic.Topics;
import labops.workflow.lifecycle.LifecycleEvents;
import labops.workflow.record.Records;
import labops.workflow.release.ResultRelease;
import labops.workflow.task.ResultTasks;
import labops.workflow.task.OrderTasks;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Workflow's one reading of the canonical events: each poll's orders (and results) are decoded once and applied, in
 * one database transaction, to both what staff work on (tasks) and what the order came to (records), each as a few
 * multi-row statements whatever the poll's size, in the order the events came. Every change of an order's status is
 * on {@code labops.workflow.orders}, and every result released under its tenant's policy on
 * {@code labops.results.released} (or kept for review), before the transaction commits. A redelivered poll converges on the same rows and
 * creates no second task.
 */
@Component
class CanonicalEventListener {

    private final OrderTasks orderTasks;
    private final ResultTasks resultTasks;
    private final Records records;
    private final LifecycleEvents lifecycle;
    private final ResultRelease release;
    private final TransactionOperations transactions;

    CanonicalEventListener(OrderTasks orderTasks, ResultTasks resultTasks, Records records,
                           LifecycleEvents lifecycle, ResultRelease release, TransactionOperations transactions) {
        this.orderTasks = orderTasks;
        this.release = release;
        this.lifecycle = lifecycle;
        this.resultTasks = resultTasks;
        this.records = records;
        this.transactions = transactions;
    }

    /**
     * Two consumers share the orders' partitions (an order's events stay on one): while one waits for PostgreSQL or
     * for the audit log's acknowledgements, the other applies its poll.
     */
    @KafkaListener(topics = Topics.CANONICAL_ORDERS, batch = "true", concurrency = "${labops.workflow.order-consumers:2}")
    void onOrders(List<ConsumerRecord<String, LabOrderEvent>> records) {
        BatchFailures.apply(records, transactions, batch -> {
            List<LabOrderEvent> orders = values(batch);
            var published = lifecycle.publish(this.records.applyOrders(orders));
            orderTasks.apply(orders);
            lifecycle.await(published);
        });
    }

    @KafkaListener(topics = Topics.CANONICAL_RESULTS, batch = "true")
    void onResults(List<ConsumerRecord<String, LabResultEvent>> records) {
        BatchFailures.apply(records, transactions, batch -> {
            List<LabResultEvent> results = values(batch);
            this.records.addResults(results);
            var published = new java.util.ArrayList<>(lifecycle.publish(this.records.applyResultsToOrders(results)));
            var released = release.apply(results);
            published.addAll(released.sent());
            resultTasks.apply(results, released.reviews());
            lifecycle.await(published);
        });
    }

    private static <T> List<T> values(List<ConsumerRecord<String, T>> batch) {
        return batch.stream().map(ConsumerRecord::value).toList();
    }
}
