package labops.tenant.config;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way tenant configuration changes: the database work, the tenant's new configuration on Kafka for every
 * other service, and an audit decision saying who changed what, all before the transaction commits. When Kafka does
 * not take either, nothing is saved and the caller gets 503.
 */
@Component
public class Changes {

    private final TransactionTemplate transactions;
    private final TenantConfigPublisher configuration;
    private final AuditPublisher audit;

    Changes(TransactionTemplate transactions, TenantConfigPublisher configuration, AuditPublisher audit) {
        this.transactions = transactions;
        this.configuration = configuration;
        this.audit = audit;
    }

    /**
     * Applies {@code work} to {@code tenantId} on behalf of {@code actor}; {@code detail} describes the result for
     * the audit log and must not contain a secret.
     */
    public <T> T apply(String actor, String tenantId, String environment, String action, Supplier<T> work,
                       Function<T, String> detail) {
        return transactions.execute(status -> {
            T result = work.get();
            configuration.publish(tenantId);
            record(AuditDecision.change(action, tenantId, environment, actor, detail.apply(result)));
            return result;
        });
    }

    private void record(AuditDecision decision) {
        try {
            audit.publish(decision).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigNotPublishedException();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new ConfigNotPublishedException();
        }
    }
}
