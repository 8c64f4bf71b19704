package labops.workflow.record;

import java.util.List;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.platform.kafka.BatchFailures;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Keeps what every order came to and every result observation, for the tenant's exports. Its own consumer group: the
 * staff queue's listeners neither wait for it nor share partitions with it. Each poll is one database transaction;
 * a redelivered poll converges on the same rows.
 */
@Component
class RecordListener {

    private final Records records;
    private final TransactionOperations transactions;

    RecordListener(Records records, TransactionOperations transactions) {
        this.records = records;
        this.transactions = transactions;
    }

    @KafkaListener(topics = Topics.CANONICAL_ORDERS, groupId = "${spring.kafka.consumer.group-id}-records",
            batch = "true")
    void onOrders(List<ConsumerRecord<String, LabOrderEvent>> orders) {
        BatchFailures.apply(orders, transactions, batch -> records.applyOrders(values(batch)));
    }

    @KafkaListener(topics = Topics.CANONICAL_RESULTS, groupId = "${spring.kafka.consumer.group-id}-records",
            batch = "true")
    void onResults(List<ConsumerRecord<String, LabResultEvent>> results) {
        BatchFailures.apply(results, transactions, batch -> records.addResults(values(batch)));
    }

    private static <T> List<T> values(List<ConsumerRecord<String, T>> batch) {
        return batch.stream().map(ConsumerRecord::value).toList();
    }
}
