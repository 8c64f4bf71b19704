package labops.workflow.task;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.platform.kafka.BatchFailures;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A result with a critical observation (HH, LL or AA) puts a "critical call-back" task, priority STAT, in its
 * tenant's queue, naming the critical tests: one per result event, whatever is redelivered. The task's handling is the
 * staff queue's; what matters here is that none is missed.
 */
@Component
class CriticalResultListener {

    static final Set<Interpretation> CRITICAL = EnumSet.of(Interpretation.CRITICAL_HIGH, Interpretation.CRITICAL_LOW,
            Interpretation.CRITICAL);

    private final TaskRepository tasks;
    private final TaskAudit audit;

    private final TransactionOperations transactions;

    CriticalResultListener(TaskRepository tasks, TaskAudit audit, TransactionOperations transactions) {
        this.tasks = tasks;
        this.audit = audit;
        this.transactions = transactions;
    }

    @KafkaListener(topics = Topics.CANONICAL_RESULTS, batch = "true")
    void onResults(List<ConsumerRecord<String, LabResultEvent>> records) {
        BatchFailures.apply(records, transactions, batch -> {
            List<Task> candidates = batch.stream().map(record -> task(record.value())).filter(Objects::nonNull).toList();
            audit.record(audit.created(tasks.insertIfAbsent(candidates)));
        });
    }

    private static Task task(LabResultEvent result) {
        String critical = result.getObservations().stream()
                .filter(o -> o.getInterpretation().stream().anyMatch(CRITICAL::contains))
                .map(Observation::getCode).map(c -> c.getCode()).collect(Collectors.joining(", "));
        if (critical.isEmpty()) {
            return null;
        }
        return new Task(UUID.randomUUID(), result.getTenantId(), Task.environment(result.getEnvironment()),
                Task.CRITICAL_CALLBACK, Task.OPEN, result.getEventId(), result.getSource().getRawMessageId(),
                result.getPlacerOrderNumber() == null ? null : result.getPlacerOrderNumber().getValue(), "STAT",
                critical, null, Instant.now());
    }
}
