package labops.ingress.duplicate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import labops.ingress.IngressProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Recognises a message sent twice (same tenant, environment, sender and MSH-10) within the duplicate window, across
 * every ingress instance, through one shared table. A message is claimed before it is published, marked stored once
 * Kafka has it, and released if Kafka refused it (so the sender's resend is taken, not mistaken for a duplicate).
 *
 * <p>Nothing here runs on a socket's thread: claims, marks and releases queue for one writer thread that sends each
 * kind in one statement per batch, so the database sees a few statements per millisecond however many messages
 * arrive. A claim's future completes on that thread.
 */
@Component
public class DuplicateGuard implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DuplicateGuard.class);
    /** Longer than the producer's delivery timeout: a claim pending this long belongs to an instance that died. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);
    private static final Duration CLEAN_EVERY = Duration.ofMinutes(1);
    private static final int BATCH = 500;

    /** What became of a claim. */
    public sealed interface Claim {
    }

    /** The first copy: publish it. */
    public record Fresh() implements Claim {
    }

    /** Already stored as {@code original}: acknowledge again, publish nothing. */
    public record Duplicate(UUID original) implements Claim {
    }

    /** Another copy is being stored right now: the sender should resend later. */
    public record InProgress() implements Claim {
    }

    /** A message as the guard knows it. */
    public record Key(String tenantId, String environment, String idempotencyKey, UUID messageId) {
    }

    private record Op(Kind kind, Key key, CompletableFuture<Claim> claim) {
    }

    private enum Kind { CLAIM, STORED, RELEASE }

    private final JdbcClient jdbc;
    private final Duration window;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    public DuplicateGuard(JdbcClient jdbc, IngressProperties properties) {
        this.jdbc = jdbc;
        this.window = properties.duplicateWindow();
    }

    public boolean enabled() {
        return !window.isZero();
    }

    public CompletableFuture<Claim> claim(Key key) {
        if (!enabled()) {
            return CompletableFuture.completedFuture(new Fresh());
        }
        var claim = new CompletableFuture<Claim>();
        queue.add(new Op(Kind.CLAIM, key, claim));
        return claim;
    }

    /** Kafka has the message: from now on a copy is a duplicate. */
    public void stored(Key key) {
        if (enabled()) {
            queue.add(new Op(Kind.STORED, key, null));
        }
    }

    /** Kafka refused the message: the sender will resend it, and that copy must be taken. */
    public void release(Key key) {
        if (enabled()) {
            queue.add(new Op(Kind.RELEASE, key, null));
        }
    }

    @Override
    public void start() {
        running = true;
        if (enabled()) {
            writer = new Thread(this::write, "duplicate-guard");
            writer.setDaemon(true);
            writer.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            writer.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void write() {
        Instant nextClean = Instant.now();
        var batch = new ArrayList<Op>(BATCH);
        while (running) {
            try {
                Op first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    apply(batch);
                    batch.clear();
                }
                if (Instant.now().isAfter(nextClean)) {
                    int removed = jdbc.sql("delete from seen_message where claimed_at < now() - make_interval(secs => ?)")
                            .param(window.toSeconds()).update();
                    log.debug("event=seen-messages-expired removed={}", removed);
                    nextClean = Instant.now().plus(CLEAN_EVERY);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("event=duplicate-guard-failed reason={}", e.getClass().getSimpleName());
                batch.stream().filter(op -> op.claim() != null).forEach(op -> op.claim().completeExceptionally(e));
                batch.clear();
            }
        }
    }

    private void apply(List<Op> batch) {
        var claims = new HashMap<String, Op>();
        var stored = new ArrayList<Key>();
        var released = new ArrayList<Key>();
        for (Op op : batch) {
            switch (op.kind()) {
                case CLAIM -> {
                    // Two copies in one batch: the second waits for the first's outcome like any concurrent copy.
                    if (claims.putIfAbsent(id(op.key()), op) != null) {
                        op.claim().complete(new InProgress());
                    }
                }
                case STORED -> stored.add(op.key());
                case RELEASE -> released.add(op.key());
            }
        }
        if (!released.isEmpty()) {
            jdbc.sql("""
                            delete from seen_message s
                            using unnest(?::text[], ?::text[], ?::text[], ?::uuid[]) as i(t, e, k, m)
                            where s.tenant_id = i.t and s.environment = i.e and s.idempotency_key = i.k
                              and s.message_id = i.m and s.state = 'pending'""")
                    .params(columns(released)).update();
        }
        if (!stored.isEmpty()) {
            jdbc.sql("""
                            update seen_message s set state = 'stored'
                            from unnest(?::text[], ?::text[], ?::text[], ?::uuid[]) as i(t, e, k, m)
                            where s.tenant_id = i.t and s.environment = i.e and s.idempotency_key = i.k
                              and s.message_id = i.m""")
                    .params(columns(stored)).update();
        }
        if (!claims.isEmpty()) {
            claim(claims);
        }
    }

    /**
     * One statement for every claim: insert, or take over a row that is expired or abandoned; for the rest, the
     * existing row says whether the message is stored (a duplicate) or still being stored.
     */
    private void claim(Map<String, Op> claims) {
        List<Key> keys = claims.values().stream().map(Op::key).toList();
        Object[] params = columns(keys);
        var outcomes = jdbc.sql("""
                        with input as (
                            select * from unnest(?::text[], ?::text[], ?::text[], ?::uuid[])
                                as i(tenant_id, environment, idempotency_key, message_id)
                        ), claimed as (
                            insert into seen_message as s (tenant_id, environment, idempotency_key, message_id, state)
                            select tenant_id, environment, idempotency_key, message_id, 'pending' from input
                            on conflict (tenant_id, environment, idempotency_key) do update
                                set message_id = excluded.message_id, state = 'pending', claimed_at = now()
                                where (s.state = 'pending' and s.claimed_at < now() - make_interval(secs => ?))
                                   or s.claimed_at < now() - make_interval(secs => ?)
                            returning s.tenant_id, s.environment, s.idempotency_key
                        )
                        select i.tenant_id, i.environment, i.idempotency_key, c.idempotency_key is not null as claimed,
                               s.state, s.message_id as original
                        from input i
                        left join claimed c on c.tenant_id = i.tenant_id and c.environment = i.environment
                                           and c.idempotency_key = i.idempotency_key
                        left join seen_message s on s.tenant_id = i.tenant_id and s.environment = i.environment
                                                and s.idempotency_key = i.idempotency_key""")
                .params(params[0], params[1], params[2], params[3], ABANDONED_AFTER.toSeconds(), window.toSeconds())
                .query((rs, row) -> {
                    String id = rs.getString("tenant_id") + '|' + rs.getString("environment") + '|'
                            + rs.getString("idempotency_key");
                    Claim claim = rs.getBoolean("claimed") ? new Fresh()
                            : "stored".equals(rs.getString("state"))
                            ? new Duplicate(rs.getObject("original", UUID.class)) : new InProgress();
                    return Map.entry(id, claim);
                })
                .list();
        outcomes.forEach(outcome -> claims.get(outcome.getKey()).claim().complete(outcome.getValue()));
        // Every input row comes back; should one not, its sender hears "resend later" rather than nothing.
        claims.values().forEach(op -> op.claim().complete(new InProgress()));
    }

    private static String id(Key key) {
        return key.tenantId() + '|' + key.environment() + '|' + key.idempotencyKey();
    }

    private static Object[] columns(List<Key> keys) {
        return new Object[] {column(keys, Key::tenantId), column(keys, Key::environment),
                column(keys, Key::idempotencyKey), keys.stream().map(Key::messageId).toArray(UUID[]::new)};
    }

    private static String[] column(List<Key> keys, Function<Key, String> field) {
        return keys.stream().map(field).toArray(String[]::new);
    }
}
