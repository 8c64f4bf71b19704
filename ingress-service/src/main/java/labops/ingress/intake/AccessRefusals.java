package labops.ingress.intake;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Senders turned away without a valid credential reach their tenant's audit trail aggregated: one entry per channel,
 * source and reason per window (a minute), saying how many attempts there were. At most {@value #KEYS_PER_TENANT}
 * such entries per tenant and window; further sources or reasons are counted together in one more. So nobody without
 * a credential can grow a tenant's chain by more than that a minute, however many requests they send.
 */
@Component
public class AccessRefusals {

    static final int KEYS_PER_TENANT = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(AccessRefusals.class);

    private record Key(String tenantId, String environment, String channel, String sender, String reason) {
    }

    private record Window(Map<Key, LongAdder> counts, Map<String, AtomicInteger> keysPerTenant) {

        Window() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    private final AuditPublisher audit;
    private final Clock clock = Clock.systemUTC();
    // Counting takes the read side (many at once); closing a window the write side, so no count falls between two.
    private final ReentrantReadWriteLock windowLock = new ReentrantReadWriteLock();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "access-refusals");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Window window = new Window();

    public AccessRefusals(AuditPublisher audit) {
        this.audit = audit;
        closer.scheduleWithFixedDelay(this::flush, WINDOW.toMillis(), WINDOW.toMillis(), TimeUnit.MILLISECONDS);
    }

    void refused(String tenantId, String environment, String channel, String sender, String reason) {
        windowLock.readLock().lock();
        try {
            Window current = window;
            Key key = new Key(tenantId, environment, channel, sender, reason);
            LongAdder count = current.counts().get(key);
            if (count == null) {
                boolean room = current.keysPerTenant().computeIfAbsent(tenantId, t -> new AtomicInteger())
                        .incrementAndGet() <= KEYS_PER_TENANT;
                if (!room) {
                    key = new Key(tenantId, environment, channel, "other sources", "other refusals");
                }
                count = current.counts().computeIfAbsent(key, k -> new LongAdder());
            }
            count.increment();
        } finally {
            windowLock.readLock().unlock();
        }
    }

    /** Closes the window: one audit entry per key with its count. */
    public void flush() {
        Window closed;
        windowLock.writeLock().lock();
        try {
            closed = window;
            window = new Window();
        } finally {
            windowLock.writeLock().unlock();
        }
        var now = clock.instant();
        closed.counts().forEach((key, count) -> audit.publish(new AuditDecision("intake.access-refused",
                        AuditDecision.FAILURE, key.tenantId(), key.environment(), null, null,
                        key.channel() + " from " + key.sender() + ": " + key.reason() + " (" + count.sum()
                                + (count.sum() == 1 ? " attempt" : " attempts") + " in this minute)",
                        audit.actor(), now))
                .exceptionally(failure -> {
                    log.warn("event=access-refusals-not-audited tenant={}", key.tenantId());
                    return null;
                }));
    }

    @PreDestroy
    void close() {
        closer.shutdownNow();
        flush();
    }
}
