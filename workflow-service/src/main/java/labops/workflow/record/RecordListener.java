package labops.workflow.record;

import java.util.List;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.schemas.topic.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps what every order came to and every result observation, for the tenant's exports. Its own consumer group: the
 * staff queue's listeners neither wait for it nor share partitions with it. Each poll is one database transaction;
 * a redelivered poll converges on the same rows.
 */
@Component
class RecordListener {

    private final Records records;

    RecordListener(Records records) {
        this.records = records;
    }

    @KafkaListener(topics = Topics.CANONICAL_ORDERS, groupId = "${spring.kafka.consumer.group-id}-records",
            batch = "true")
    @Transactional
    void onOrders(List<LabOrderEvent> orders) {
        records.applyOrders(orders);
    }

    @KafkaListener(topics = Topics.CANONICAL_RESULTS, groupId = "${spring.kafka.consumer.group-id}-records",
            batch = "true")
    @Transactional
    void onResults(List<LabResultEvent> results) {
        records.addResults(results);
    }
}
