package labops.ingress.duplicate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import labops.ingress.IngressProperties;
import labops.platform.webhook.StandardWebhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recognises a message sent twice (same tenant, environment and sender's id: an {@code Idempotency-Key}, a conditional
 * create, and the same content by its SHA-256; the same id with other content is a {@link Conflict}) within the
 * duplicate window, across every ingress instance, through one shared table, for the channels whose
 * answer to a copy differs from the first (HL7 v2's does not: its copies are left to the normalizer). A message is
 * claimed before it is published, marked stored once Kafka has it, and released if Kafka refused it (so the sender's
 * resend is taken, not mistaken for a duplicate).
 *
 * <p>Nothing here runs on a socket's thread. Claims queue for one writer thread and marks and releases for another
 * (a sender waits on its claim, nobody waits on a mark); each sends its batch in one round trip (claims as one
 * insert, marks as primary-key statements in one JDBC batch), however many messages arrive. A claim's future completes on the claim thread.
 * The table is unlogged (no WAL on the socket path): a database crash empties it, after which a copy is taken as new,
 * a duplicate published at worst, never a message lost.
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

    /** The sender's id was taken within the window by {@code original}, a message with other content. */
    public record Conflict(UUID original) implements Claim {
    }

    /** A message as the guard knows it: its sender's id and the SHA-256 of its content (hex). */
    public record Key(String tenantId, String environment, String idempotencyKey, UUID messageId, String contentHash) {
    }

    private record Op(Kind kind, Key key, CompletableFuture<Claim> claim) {
    }

    private enum Kind { CLAIM, STORED, RELEASE }

    private final JdbcTemplate jdbc;
    private final Duration window;
    private final BlockingQueue<Op> claims = new LinkedBlockingQueue<>();
    private final BlockingQueue<Op> marks = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private final List<Thread> writers = new ArrayList<>();

    public DuplicateGuard(JdbcTemplate jdbc, IngressProperties properties) {
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
        claims.add(new Op(Kind.CLAIM, key, claim));
        return claim;
    }

    /** Kafka has the message: from now on a copy is a duplicate. */
    public void stored(Key key) {
        if (enabled()) {
            marks.add(new Op(Kind.STORED, key, null));
        }
    }

    /** Kafka refused the message: the sender will resend it, and that copy must be taken. */
    public void release(Key key) {
        if (enabled()) {
            marks.add(new Op(Kind.RELEASE, key, null));
        }
    }

    @Override
    public void start() {
        running = true;
        if (enabled()) {
            writers.add(writer("duplicate-claims", claims, false));
            writers.add(writer("duplicate-marks", marks, true));
        }
    }

    private Thread writer(String name, BlockingQueue<Op> queue, boolean cleans) {
        var thread = new Thread(() -> write(queue, cleans), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void stop() {
        running = false;
        writers.forEach(Thread::interrupt);
        writers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void write(BlockingQueue<Op> queue, boolean cleans) {
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
                if (cleans && Instant.now().isAfter(nextClean)) {
                    int removed = jdbc.update("delete from seen_message where claimed_at < now() - make_interval(secs => ?)",
                            window.toSeconds());
                    // The REST channel's Idempotency-Keys live as long as the messages they guard.
                    jdbc.update("delete from rest_request where created_at < now() - make_interval(secs => ?)",
                            window.toSeconds());
                    // Signed pushes' webhook ids matter as long as their timestamps do (WebhookIds.seen looks no
                    // further back), so they go sooner.
                    jdbc.update("delete from seen_webhook where seen_at < now() - make_interval(secs => ?)",
                            StandardWebhooks.TOLERANCE.toSeconds());
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
        // One statement per row, sent as one batch: each goes through the primary key whatever the table's statistics.
        if (!released.isEmpty()) {
            jdbc.batchUpdate("""
                    delete from seen_message
                    where tenant_id = ? and environment = ? and idempotency_key = ? and message_id = ? and state = 'pending'
                    """, rows(released));
        }
        if (!stored.isEmpty()) {
            jdbc.batchUpdate("""
                    update seen_message set state = 'stored'
                    where tenant_id = ? and environment = ? and idempotency_key = ? and message_id = ?""", rows(stored));
        }
        if (!claims.isEmpty()) {
            claim(claims);
        }
    }

    /**
     * One insert for every claim, taking over a row that is expired or abandoned; the rows it did not take (copies,
     * rare) are then read one by one to tell a stored message (a duplicate) from one still being stored.
     */
    private void claim(Map<String, Op> claims) {
        List<Key> keys = claims.values().stream().map(Op::key).toList();
        Object[] columns = columns(keys);
        var claimed = new HashSet<String>(jdbc.query("""
                        insert into seen_message as s (tenant_id, environment, idempotency_key, message_id, state,
                                                       content_sha256)
                        select t, e, k, m, 'pending', h
                        from unnest(?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[]) as i(t, e, k, m, h)
                        on conflict (tenant_id, environment, idempotency_key) do update
                            set message_id = excluded.message_id, state = 'pending', claimed_at = now(),
                                content_sha256 = excluded.content_sha256
                            where (s.state = 'pending' and s.claimed_at < now() - make_interval(secs => ?))
                               or s.claimed_at < now() - make_interval(secs => ?)
                        returning s.tenant_id || '|' || s.environment || '|' || s.idempotency_key""",
                (rs, row) -> rs.getString(1), columns[0], columns[1], columns[2], columns[3], columns[4],
                ABANDONED_AFTER.toSeconds(), window.toSeconds()));
        for (var entry : claims.entrySet()) {
            Key key = entry.getValue().key();
            Claim claim = claimed.contains(entry.getKey()) ? new Fresh() : jdbc.query("""
                            select state, message_id, content_sha256 from seen_message
                            where tenant_id = ? and environment = ? and idempotency_key = ?""",
                    (rs, row) -> taken(key, rs.getString("state"), rs.getObject("message_id", UUID.class),
                            rs.getString("content_sha256")),
                    key.tenantId(), key.environment(), key.idempotencyKey()).stream().findFirst()
                    .orElse(new InProgress());
            entry.getValue().claim().complete(claim);
        }
    }

    /** What a claim finds when its id was taken: another message (other content), a copy stored, or one in progress. */
    private static Claim taken(Key key, String state, UUID original, String contentHash) {
        if (contentHash != null && key.contentHash() != null && !contentHash.equals(key.contentHash())) {
            return new Conflict(original);
        }
        return "stored".equals(state) ? new Duplicate(original) : new InProgress();
    }

    private static List<Object[]> rows(List<Key> keys) {
        return keys.stream().map(k -> new Object[] {k.tenantId(), k.environment(), k.idempotencyKey(), k.messageId()})
                .toList();
    }

    private static String id(Key key) {
        return key.tenantId() + '|' + key.environment() + '|' + key.idempotencyKey();
    }

    private static Object[] columns(List<Key> keys) {
        return new Object[] {column(keys, Key::tenantId), column(keys, Key::environment),
                column(keys, Key::idempotencyKey), keys.stream().map(Key::messageId).toArray(UUID[]::new),
                column(keys, Key::contentHash)};
    }

    private static String[] column(List<Key> keys, Function<Key, String> field) {
        return keys.stream().map(field).toArray(String[]::new);
    }
}
