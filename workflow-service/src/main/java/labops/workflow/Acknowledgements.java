package labops.workflow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/**
 * Waits for the broker to have every record sent: workflow commits a change to PostgreSQL only once what it told
 * others about it (the audit log, the order lifecycle) is durable, so a failure here rolls the caller's transaction
 * back. The broker not answering in time is an outage ({@link org.apache.kafka.common.errors.TimeoutException},
 * retriable), waited out by the consumer failure policy like any other.
 */
public final class Acknowledgements {

    private Acknowledgements() {
    }

    public static void await(List<? extends CompletableFuture<?>> sent) {
        if (sent.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("the broker did not acknowledge in time", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new KafkaException(e.getCause());
        }
    }
}
