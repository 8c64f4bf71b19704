package labops.workflow.task;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import labops.platform.kafka.BatchFailures;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A message ingress acknowledged but the normalizer could not map sits on the raw dead-letter topic; the hospital
 * thinks it was received, so someone must fix and resend it. Each becomes one "fix order data" task naming the reason
 * (which segment and field), read from the dead-letter headers alone: the payload, with its patient data, is never
 * decoded here. Refusals at the socket need no task: the sender heard AE/AR while it was still listening.
 */
@Component
class UnmappableMessageListener {

    private static final String NORMALIZER_STAGE = "normalizer";

    private final TaskRepository tasks;
    private final TaskAudit audit;

    private final TransactionOperations transactions;

    UnmappableMessageListener(TaskRepository tasks, TaskAudit audit, TransactionOperations transactions) {
        this.tasks = tasks;
        this.audit = audit;
        this.transactions = transactions;
    }

    @KafkaListener(topics = {Topics.RAW_HL7V2 + Topics.DEAD_LETTER_SUFFIX, Topics.RAW_FHIR + Topics.DEAD_LETTER_SUFFIX,
            Topics.RAW_REST + Topics.DEAD_LETTER_SUFFIX, Topics.RAW_CSV + Topics.DEAD_LETTER_SUFFIX},
            batch = "true",
            properties = "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
    void onDeadLetters(List<ConsumerRecord<String, byte[]>> records) {
        BatchFailures.apply(records, transactions, batch -> {
            List<Task> candidates = batch.stream().map(UnmappableMessageListener::task).filter(Objects::nonNull).toList();
            audit.record(audit.created(tasks.insertIfAbsent(candidates)));
        });
    }

    private static Task task(ConsumerRecord<String, byte[]> record) {
        String tenant = header(record, RawHeaders.TENANT);
        String environment = header(record, RawHeaders.ENVIRONMENT);
        String messageId = header(record, RawHeaders.MESSAGE_ID);
        if (!NORMALIZER_STAGE.equals(header(record, DeadLetterHeaders.STAGE)) || tenant == null || environment == null
                || messageId == null) {
            return null;
        }
        // One task per dead-lettered message, however often the record is redelivered.
        UUID id = UUID.nameUUIDFromBytes(("fix-order-data#" + messageId).getBytes(StandardCharsets.UTF_8));
        return Task.open(Task.FIX_ORDER_DATA, tenant, environment, id, receivedAt(record), messageId, null, "ROUTINE", "",
                header(record, DeadLetterHeaders.REASON));
    }

    /**
     * When ingress had the message: the same however often it is dead-lettered or redelivered, unlike the record's
     * own timestamp. Without a readable header, the epoch: still one task per message, only not in time order.
     */
    private static Instant receivedAt(ConsumerRecord<String, byte[]> record) {
        String at = header(record, RawHeaders.RECEIVED_AT);
        try {
            return at == null ? Instant.EPOCH : Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
