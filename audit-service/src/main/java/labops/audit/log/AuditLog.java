package labops.audit.log;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import labops.audit.log.ChainHeads.Chain;
import labops.audit.log.ChainHeads.End;
import labops.platform.audit.AuditDecision;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends to the tamper-evident audit log and reads it back. Each tenant's entries from one source partition form a
 * chain of their own ({@code labops.raw.hl7v2-3}): a partition's records are appended by the one consumer holding its
 * consumed position (locked in the batch's transaction), so a batch extends its chains without any lock on the tenant
 * and a busy tenant's partitions append in parallel. A redelivered record is skipped by its partition's consumed
 * position, kept in the same transaction.
 */
@Repository
class AuditLog {

    static final String GENESIS = "0".repeat(64);
    /** The entries chained across tenants before each tenant had chains of its own: checked by content alone. */
    private static final String GLOBAL_CHAIN = "global";

    /** Where an entry was read: a partition's records are appended in offset order, each exactly once. */
    record Source(Partition partition, long offset) {

        Source(String topic, int partition, long offset) {
            this(new Partition(topic, partition), offset);
        }
    }

    record Partition(String topic, int number) implements Comparable<Partition> {

        @Override
        public int compareTo(Partition other) {
            int byTopic = topic.compareTo(other.topic);
            return byTopic != 0 ? byTopic : Integer.compare(number, other.number);
        }
    }

    /** An entry to append: its id (derived from its source), where it was read, and what was decided. */
    record Appended(UUID id, Source source, AuditDecision decision) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final DataSource dataSource;
    private final ChainMac mac;
    private final ChainHeads heads;

    AuditLog(JdbcClient jdbc, JdbcTemplate batch, DataSource dataSource, ChainMac mac, ChainHeads heads) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.dataSource = dataSource;
        this.mac = mac;
        this.heads = heads;
    }

    /** Appends the entries not appended before (by their partition's consumed position); returns how many were new. */
    @Transactional
    int append(List<Appended> entries) {
        // No lock is taken per chain, so the order chains are extended in does not matter.
        Map<Chain, List<Appended>> byChain = new HashMap<>();
        for (Appended entry : unconsumed(entries)) {
            Partition source = entry.source().partition();
            byChain.computeIfAbsent(new Chain(entry.decision().tenantId(), source.topic() + "-" + source.number()),
                    c -> new ArrayList<>()).add(entry);
        }
        if (byChain.isEmpty()) {
            return 0;
        }
        Map<Chain, End> ends = ends(byChain.keySet());
        var rows = new ArrayList<Object[]>();
        var moved = new HashMap<Chain, End>();
        String keyId = mac.activeKey();
        for (var chain : byChain.entrySet()) {
            End end = ends.getOrDefault(chain.getKey(), new End(0, GENESIS));
            String previous = end.hash();
            long count = end.count();
            for (Appended entry : chain.getValue()) {
                var d = stored(entry.decision());
                String hash = mac.mac(keyId, content(previous, entry.id(), d));
                rows.add(new Object[] {entry.id(), d.tenantId(), d.environment(), d.action(), d.outcome(),
                        d.messageId(), d.eventId(), d.detail(), d.actor(), d.occurredAt(), previous, hash, ++count,
                        chain.getKey().name(), keyId});
                previous = hash;
            }
            moved.put(chain.getKey(), new End(count, previous));
        }
        copy(rows);
        // Heads name committed entries only: a rolled-back batch must not be signed as the chain's end.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                moved.forEach(heads::moved);
            }
        });
        return rows.size();
    }

    /** Where each of the chains ends, in one statement (each its newest entry, read backwards along its index). */
    private Map<Chain, End> ends(java.util.Set<Chain> chains) {
        var ends = new HashMap<Chain, End>();
        jdbc.sql("""
                        select c.tenant_id, c.chain, e.chain_seq, e.hash
                        from unnest(?::text[], ?::text[]) as c(tenant_id, chain)
                        cross join lateral (select chain_seq, hash from audit_entry a
                                            where a.tenant_id = c.tenant_id and a.chain = c.chain
                                            order by chain_seq desc limit 1) e""")
                .params(chains.stream().map(Chain::tenantId).toArray(String[]::new),
                        chains.stream().map(Chain::name).toArray(String[]::new))
                .query(rs -> {
                    ends.put(new Chain(rs.getString(1), rs.getString(2)), new End(rs.getLong(3), rs.getString(4)));
                });
        return ends;
    }

    /**
     * The rows in with one COPY, inside the batch's transaction: about twice the rate of multi-row inserts, the
     * difference between the log keeping up with ~1,000 messages a second (six entries each, then) and falling behind.
     */
    private void copy(List<Object[]> rows) {
        var csv = new StringBuilder(rows.size() * 400);
        try (var printer = new CSVPrinter(csv, CSVFormat.POSTGRESQL_CSV)) {
            for (Object[] row : rows) {
                printer.printRecord(row);
            }
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                        copy audit_entry (id, tenant_id, environment, action, outcome, message_id, event_id, detail,
                                          actor, occurred_at, previous_hash, hash, chain_seq, chain, key_id)
                        from stdin (format csv)""", new StringReader(csv.toString()));
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        } catch (SQLException e) {
            // By SQLSTATE: a lost connection is an outage to wait out, a value PostgreSQL refuses is one record's.
            var translated = new SQLStateSQLExceptionTranslator().translate("copy audit entries", null, e);
            throw translated != null ? translated : new UncategorizedSQLException("copy audit entries", null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries at or past their partition's consumed position, moving each position past the batch. Each position
     * row stays locked until the transaction ends (partitions in sorted order), so an instance that lost a partition
     * in a rebalance and its successor cannot both append the same records.
     */
    private List<Appended> unconsumed(List<Appended> entries) {
        Map<Partition, Long> batchEnd = new TreeMap<>();
        for (Appended entry : entries) {
            batchEnd.merge(entry.source().partition(), entry.source().offset() + 1, Math::max);
        }
        // One statement for every partition of the poll, in sorted order (the rows stay locked until commit).
        Map<Partition, Long> consumed = new HashMap<>();
        jdbc.sql("""
                        insert into consumed_position (topic, partition, next_offset)
                        select topic, partition, 0 from unnest(?::text[], ?::int[]) with ordinality as p(topic, partition, n)
                        order by n
                        on conflict (topic, partition) do update set next_offset = consumed_position.next_offset
                        returning topic, partition, next_offset""")
                .params(batchEnd.keySet().stream().map(Partition::topic).toArray(String[]::new),
                        batchEnd.keySet().stream().map(Partition::number).toArray(Integer[]::new))
                .query((rs, i) -> consumed.put(new Partition(rs.getString(1), rs.getInt(2)), rs.getLong(3))).list();
        batch.batchUpdate("""
                        update consumed_position set next_offset = greatest(next_offset, ?)
                        where topic = ? and partition = ?""",
                batchEnd.entrySet().stream()
                        .map(end -> new Object[] {end.getValue(), end.getKey().topic(), end.getKey().number()})
                        .toList());
        return entries.stream()
                .filter(entry -> entry.source().offset() >= consumed.get(entry.source().partition()))
                .toList();
    }

    /** Every entry of one raw message, oldest first: a message has a handful, never thousands. */
    List<AuditEntry> ofMessage(String tenantId, String messageId) {
        return jdbc.sql("select * from audit_entry where tenant_id = ? and message_id = ? order by seq")
                .params(tenantId, messageId)
                .query(AuditLog::entry)
                .list();
    }

    /**
     * What to show of a tenant's log: each field, when set, narrows it.
     *
     * @param from occurred at or after
     * @param to   occurred before
     */
    record Filter(String action, String actor, String messageId, Instant from, Instant to) {
    }

    /** One page, newest first; {@code next} is the cursor of the page after it (null on the last). */
    record Page(List<AuditEntry> entries, Long next) {
    }

    /** The newest {@code limit} entries matching {@code filter} older than the cursor {@code before} (a seq). */
    Page page(String tenantId, Filter filter, Long before, int limit) {
        List<AuditEntry> entries = jdbc.sql("""
                        select * from audit_entry
                        where tenant_id = :tenant
                          and (cast(:action as text) is null or action = :action)
                          and (cast(:actor as text) is null or actor = :actor)
                          and (cast(:message as text) is null or message_id = :message)
                          and (cast(:from as timestamptz) is null or occurred_at >= :from)
                          and (cast(:to as timestamptz) is null or occurred_at < :to)
                          and (cast(:before as bigint) is null or seq < :before)
                        order by seq desc limit :limit""")
                .param("tenant", tenantId)
                .param("action", filter.action())
                .param("actor", filter.actor())
                .param("message", filter.messageId())
                .param("from", filter.from() == null ? null : Timestamp.from(filter.from()))
                .param("to", filter.to() == null ? null : Timestamp.from(filter.to()))
                .param("before", before)
                .param("limit", limit)
                .query(AuditLog::entry)
                .list();
        return new Page(entries, entries.size() == limit ? entries.get(entries.size() - 1).seq() : null);
    }

    /**
     * What {@code verify} found: the first entry that does not match (its seq), or the first one missing (its number
     * in {@code chain}), in words; nothing when every chain agrees with its signed head.
     *
     * @param entries     how many entries were walked
     * @param chains      how many chains the tenant's entries form
     * @param headsSigned how many chains have a signed head to hold them against
     */
    record Verification(boolean intact, Long firstBrokenSeq, Long firstMissing, String chain, String reason,
                        long entries, int chains, int headsSigned) {
    }

    /** What the walk found of one chain: how far it reaches, and the hash of the entry its head counts up to. */
    private static final class Walked {
        long last;
        String previous;
        boolean keyed;
        String hashAtHead;
    }

    /**
     * Recomputes each of a tenant's chains and holds it against its latest signed head. Every entry's MAC must match
     * its content and previous hash, and follow its chain's previous entry; once a chain's entries are keyed, no later
     * one may be unkeyed. Each chain must reach its head's count with the head's hash, so deleting a chain's newest
     * entries, or all of a tenant's, is found. Streams the entries from a cursor (a thousand rows at a time), chain by
     * chain: any length, the same memory (one small record per chain).
     */
    @Transactional(readOnly = true)
    Verification verify(String tenantId) {
        Map<String, ChainHeads.Head> signed = heads.latest(tenantId);
        for (ChainHeads.Head head : signed.values()) {
            if (!heads.authentic(head)) {
                return new Verification(false, null, null, head.chainName(), "the published head of chain "
                        + head.chainName() + " does not verify: it was not signed with a configured chain key, or "
                        + "was changed", 0, 0, signed.size());
            }
        }
        var walk = new Object() {
            final Map<String, Walked> chains = new TreeMap<>();
            String lastGlobal;
            Long broken;
            String brokenChain;
            long entries;
        };
        batch.query(connection -> {
            var statement = connection.prepareStatement(
                    "select * from audit_entry where tenant_id = ? order by chain, chain_seq, seq",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(1_000);
            statement.setString(1, tenantId);
            return statement;
        }, (ResultSet rs) -> {
            if (walk.broken != null) {
                return;
            }
            var e = entry(rs, 0);
            String keyId = rs.getString("key_id");
            String name = rs.getString("chain");
            walk.entries++;
            var decision = new AuditDecision(e.action(), e.outcome(), e.tenantId(), e.environment(), e.messageId(),
                    e.eventId(), e.detail(), e.actor(), e.occurredAt());
            boolean global = name.equals(GLOBAL_CHAIN);
            Walked chain = walk.chains.computeIfAbsent(name, n -> new Walked());
            // The tenant's one chain of old began where its entries chained across tenants ended.
            String first = name.equals(ChainHeads.TENANT_CHAIN) && walk.lastGlobal != null ? walk.lastGlobal : GENESIS;
            boolean linked = global || e.previousHash().equals(chain.previous == null ? first : chain.previous);
            boolean matches;
            try {
                matches = !(chain.keyed && keyId == null)
                        && e.hash().equals(mac.mac(keyId, content(e.previousHash(), e.id(), decision)));
            } catch (ChainMac.UnknownKeyException unknown) {
                matches = false;
            }
            if (!linked || !matches) {
                walk.broken = e.seq();
                walk.brokenChain = name;
                return;
            }
            chain.keyed |= keyId != null;
            chain.previous = e.hash();
            if (global) {
                walk.lastGlobal = e.hash();
                return;
            }
            chain.last = rs.getLong("chain_seq");
            ChainHeads.Head head = signed.get(name);
            if (head != null && chain.last == head.count()) {
                chain.hashAtHead = e.hash();
            }
        });
        int chains = walk.chains.size();
        if (walk.broken != null) {
            return new Verification(false, walk.broken, null, walk.brokenChain, "entry " + walk.broken + " (chain "
                    + walk.brokenChain + ") does not match its content or does not follow the entry before it",
                    walk.entries, chains, signed.size());
        }
        for (ChainHeads.Head head : signed.values()) {
            Walked chain = walk.chains.getOrDefault(head.chainName(), new Walked());
            if (chain.last < head.count()) {
                return new Verification(false, null, chain.last + 1, head.chainName(), "the head of chain "
                        + head.chainName() + " signed at " + head.signedAt() + " counts " + head.count()
                        + " entries; the log holds " + chain.last + ": entries from number " + (chain.last + 1)
                        + " are missing (deleted or truncated)", walk.entries, chains, signed.size());
            }
            if (!head.lastHash().equals(chain.hashAtHead)) {
                return new Verification(false, null, head.count(), head.chainName(), "entry number " + head.count()
                        + " of chain " + head.chainName() + " is not the one its head signed at " + head.signedAt()
                        + " names", walk.entries, chains, signed.size());
            }
        }
        return new Verification(true, null, null, null, signed.isEmpty() ? "intact; no signed head published yet"
                : "intact up to the signed heads and beyond", walk.entries, chains, signed.size());
    }

    /**
     * The decision as PostgreSQL keeps it, so the MAC covers what is stored. Its time to the microsecond, truncated
     * here rather than rounded there, where a time in a millisecond's last half microsecond would round into the next
     * millisecond and no longer match its MAC. PostgreSQL's text cannot hold NUL, and a decision may quote a header a
     * sender's bytes reached: each NUL becomes U+FFFD, so the entry is kept as stored rather than refused.
     */
    private static AuditDecision stored(AuditDecision d) {
        return new AuditDecision(storable(d.action()), storable(d.outcome()), storable(d.tenantId()),
                storable(d.environment()), storable(d.messageId()), storable(d.eventId()), storable(d.detail()),
                storable(d.actor()), d.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    private static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    /** What each entry's MAC covers: the previous entry's hash, its id and every field of its decision. */
    static String content(String previous, UUID id, AuditDecision d) {
        return String.join("\u001f", previous, id.toString(), d.tenantId(), Objects.toString(d.environment()),
                d.action(), d.outcome(), Objects.toString(d.messageId()), Objects.toString(d.eventId()),
                Objects.toString(d.detail()), d.actor(), Long.toString(d.occurredAt().toEpochMilli()));
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                rs.getString("environment"), rs.getString("action"), rs.getString("outcome"), rs.getString("message_id"),
                rs.getString("event_id"), rs.getString("detail"), rs.getString("actor"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("previous_hash"), rs.getString("hash"));
    }
}
