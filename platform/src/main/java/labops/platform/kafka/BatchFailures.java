package labops.platform.kafka;

import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Runs a batch listener's work under the {@link ConsumerFailurePolicy}: a bad record costs that record, never its
 * batch or partition. The work runs on the whole batch in one transaction, as fast as before; only when that fails for
 * a reason of a record's own does it run again record by record, each in its own transaction, until the record that
 * fails alone is found. The records before it are then done, and it is named to the error handler
 * ({@link BatchListenerFailedException}), which retries it a bounded number of times and dead-letters it; the records
 * after it are read again. An outage names the first record not yet done, with the outage as the cause: the error
 * handler waits it out and polls again from there (so a record whose decoding needed the registry is decoded again;
 * retrying the same batch in memory held that stale failure for ever). A record whose value could not be decoded is
 * named at once, after the records before it are done.
 *
 * <p>The work must be idempotent on its records (every Lab Ops consumer is, on event ids or positions): a record done
 * in a batch that later failed may be done again.
 */
public final class BatchFailures {

    private static final LogAccessor LOG = new LogAccessor(BatchFailures.class);

    private BatchFailures() {
    }

    /** Does {@code work} on {@code records}, each call in a transaction of {@code transactions}. */
    public static <K, V> void apply(List<ConsumerRecord<K, V>> records, TransactionOperations transactions,
                                    Consumer<List<ConsumerRecord<K, V>>> work) {
        int undecodable = firstUndecodable(records);
        List<ConsumerRecord<K, V>> decodable = undecodable < 0 ? records : records.subList(0, undecodable);
        run(decodable, transactions, work);
        if (undecodable >= 0) {
            var record = records.get(undecodable);
            DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                    SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
            if (failure == null) {
                failure = new DeserializationException("value could not be decoded", null, false, null);
            }
            // Decoding needs the registry: while it is unreachable the record is read (and decoded) again after the
            // outage, never dead-lettered as undecodable. The outage carries what the decoder threw, not the
            // DeserializationException around it: the error handler looks through causes, and that one is fatal.
            throw new BatchListenerFailedException("value could not be decoded", ConsumerFailures.isOutage(failure)
                    ? new ConsumerFailures.Outage("the value could not be decoded while a dependency was down",
                            failure.getCause())
                    : failure, record);
        }
    }

    /** Does {@code work} on {@code records} without a transaction of its own (the work keeps its own, if any). */
    public static <K, V> void apply(List<ConsumerRecord<K, V>> records, Consumer<List<ConsumerRecord<K, V>>> work) {
        apply(records, TransactionOperations.withoutTransaction(), work);
    }

    private static <K, V> void run(List<ConsumerRecord<K, V>> records, TransactionOperations transactions,
                                   Consumer<List<ConsumerRecord<K, V>>> work) {
        if (records.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> work.accept(records));
            return;
        } catch (RuntimeException failure) {
            if (ConsumerFailures.isOutage(failure) || records.size() == 1) {
                throw new BatchListenerFailedException(ConsumerFailures.reason(failure), failure, records.get(0));
            }
        }
        for (ConsumerRecord<K, V> record : records) {
            try {
                transactions.executeWithoutResult(status -> work.accept(List.of(record)));
            } catch (RuntimeException failure) {
                throw new BatchListenerFailedException(ConsumerFailures.reason(failure), failure, record);
            }
        }
    }

    private static int firstUndecodable(List<? extends ConsumerRecord<?, ?>> records) {
        for (int i = 0; i < records.size(); i++) {
            var record = records.get(i);
            if (record.value() == null
                    && record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
                return i;
            }
        }
        return -1;
    }
}
