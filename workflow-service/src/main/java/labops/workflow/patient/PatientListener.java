package labops.workflow.patient;

import java.util.List;
import labops.events.PatientEvent;
import labops.platform.kafka.BatchFailures;
import labops.schemas.topic.Topics;
import labops.workflow.task.PatientIdentity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The hospital's patients, kept for the people who call and visit them ({@link PatientRecords}); a changed name or
 * birth date and a merge each become a task for staff ({@link PatientIdentity}). A poll is one transaction.
 */
@Component
class PatientListener {

    private final PatientRecords patients;
    private final PatientIdentity identity;
    private final TransactionOperations transactions;

    PatientListener(PatientRecords patients, PatientIdentity identity, TransactionOperations transactions) {
        this.patients = patients;
        this.identity = identity;
        this.transactions = transactions;
    }

    @KafkaListener(topics = Topics.CANONICAL_PATIENTS, batch = "true")
    void onPatients(List<ConsumerRecord<String, PatientEvent>> records) {
        BatchFailures.apply(records, transactions, batch -> {
            List<PatientEvent> events = batch.stream().map(ConsumerRecord::value).toList();
            identity.apply(patients.apply(events), events);
        });
    }
}
