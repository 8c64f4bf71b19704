package labops.normalizer.raw;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import labops.normalizer.NormalizerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the copies in a batch of raw messages from their originals, for every ingress instance and channel at once:
 * the first message normalized under a sender's id (tenant, environment, idempotency key) within the duplicate window
 * is the original, remembered by Lab Ops' id of it ({@code raw_original}); another message under that sender's id is
 * a copy. Ingress's HL7 v2 channels publish every copy they acknowledge (a copy gets the same AA as the first, so the
 * socket path asks no database); this is where those copies stop.
 *
 * <p>One statement per batch, whatever its size. Reading an original again (a batch rolled back and read again, a
 * dead letter replayed) finds its own id, so it is normalized again inside the transaction that replaces the first
 * attempt: exactly once still holds.
 */
@Component
class RawCopies {

    private static final Logger log = LoggerFactory.getLogger(RawCopies.class);
    private static final Duration CLEAN_EVERY = Duration.ofMinutes(1);
    /** One digest per listener thread: looking the algorithm up for every message costs more than the digest. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    /** A raw message as far as copies go: who sent it under which id, Lab Ops' own id of it, its content's digest. */
    record Sent(String tenantId, String environment, String idempotencyKey, String messageId, byte[] contentHash) {

        /** A message as read from its raw record: its digest is SHA-256 of the payload bytes. */
        static Sent of(String tenantId, String environment, String idempotencyKey, String messageId, byte[] payload) {
            return new Sent(tenantId, environment, idempotencyKey, messageId, sha256(payload));
        }

        /** A message without a sender's id (or whose only id is Lab Ops' own) cannot be a copy. */
        boolean identified() {
            return idempotencyKey != null && !idempotencyKey.isBlank() && !idempotencyKey.equals(messageId);
        }
    }

    private record SenderId(String tenantId, String environment, String idempotencyKey) {
    }

    /** What became of a message that is not an original: the original it repeats, or conflicts with. */
    sealed interface Seen {
        String original();
    }

    /** The same message as {@code original}, sent again: not normalized again. */
    record Copy(String original) implements Seen {
    }

    /** Another message under {@code original}'s sender's id within the window: not a copy, not an original either. */
    record Conflict(String original) implements Seen {
    }

    private record Remembered(String messageId, byte[] contentHash) {
    }

    private final JdbcTemplate jdbc;
    private final Duration window;
    private volatile Instant nextClean = Instant.EPOCH;

    RawCopies(JdbcTemplate jdbc, NormalizerProperties properties) {
        this.jdbc = jdbc;
        this.window = properties.duplicateWindow();
    }

    /** The messages in {@code batch} that are not originals: each one's position in the batch, with what it is. */
    Map<Integer, Seen> in(List<Sent> batch) {
        if (window.isZero()) {
            return Map.of();
        }
        // The first of a sender's id in the batch is its candidate original; a later one in the same batch is a copy.
        var candidates = new LinkedHashMap<SenderId, Remembered>();
        for (Sent sent : batch) {
            if (sent.identified()) {
                candidates.putIfAbsent(new SenderId(sent.tenantId(), sent.environment(), sent.idempotencyKey()),
                        new Remembered(sent.messageId(), sent.contentHash()));
            }
        }
        if (candidates.isEmpty()) {
            return Map.of();
        }
        Map<SenderId, Remembered> originals = remember(candidates);
        var seen = new HashMap<Integer, Seen>();
        for (int i = 0; i < batch.size(); i++) {
            Sent sent = batch.get(i);
            if (sent.identified()) {
                var original = originals.get(new SenderId(sent.tenantId(), sent.environment(), sent.idempotencyKey()));
                if (original != null && !original.messageId().equals(sent.messageId())) {
                    // A row from before content digests were kept has none: it compares as a copy, as it did then.
                    boolean same = original.contentHash() == null
                            || MessageDigest.isEqual(original.contentHash(), sent.contentHash());
                    seen.put(i, same ? new Copy(original.messageId()) : new Conflict(original.messageId()));
                }
            }
        }
        cleanWhenDue();
        return seen;
    }

    /**
     * Remembers each candidate unless its sender's id is remembered already (a row older than the window is taken
     * over), and returns the original every sender's id now names. The no-op update on a conflict is what makes the
     * insert return the row it did not write.
     */
    private Map<SenderId, Remembered> remember(Map<SenderId, Remembered> candidates) {
        int size = candidates.size();
        String[] tenants = new String[size];
        String[] environments = new String[size];
        String[] keys = new String[size];
        String[] messages = new String[size];
        byte[][] hashes = new byte[size][];
        int i = 0;
        for (var candidate : candidates.entrySet()) {
            tenants[i] = candidate.getKey().tenantId();
            environments[i] = candidate.getKey().environment();
            keys[i] = candidate.getKey().idempotencyKey();
            hashes[i] = candidate.getValue().contentHash();
            messages[i++] = candidate.getValue().messageId();
        }
        var originals = new HashMap<SenderId, Remembered>(size * 2);
        jdbc.query("""
                        insert into raw_original as o (tenant_id, environment, idempotency_key, message_id, content_hash)
                        select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[])
                        on conflict (tenant_id, environment, idempotency_key) do update
                            set message_id = case when o.first_seen_at < now() - make_interval(secs => ?)
                                                  then excluded.message_id else o.message_id end,
                                content_hash = case when o.first_seen_at < now() - make_interval(secs => ?)
                                                    then excluded.content_hash else o.content_hash end,
                                first_seen_at = case when o.first_seen_at < now() - make_interval(secs => ?)
                                                     then now() else o.first_seen_at end
                        returning tenant_id, environment, idempotency_key, message_id, content_hash""",
                rs -> {
                    originals.put(new SenderId(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new Remembered(rs.getString(4), rs.getBytes(5)));
                }, tenants, environments, keys, messages, hashes, window.toSeconds(), window.toSeconds(),
                window.toSeconds());
        return originals;
    }

    private static byte[] sha256(byte[] payload) {
        return SHA_256.get().digest(payload);
    }

    /** Forgets what is older than the window, once a minute; a failure here must not hold up the batch. */
    private void cleanWhenDue() {
        if (Instant.now().isBefore(nextClean)) {
            return;
        }
        nextClean = Instant.now().plus(CLEAN_EVERY);
        try {
            int removed = jdbc.update("delete from raw_original where first_seen_at < now() - make_interval(secs => ?)",
                    window.toSeconds());
            log.debug("event=raw-originals-expired removed={}", removed);
        } catch (RuntimeException e) {
            log.warn("event=raw-originals-not-expired reason={}", e.getClass().getSimpleName());
        }
    }
}
