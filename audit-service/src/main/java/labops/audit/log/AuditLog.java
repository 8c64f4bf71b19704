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
 * Appends to the tamper-evident audit log and reads it back. Each tenant's entries form a hash chain of their own:
 * a batch takes each of its tenants' locks (in a fixed order), extends their chains and copies its entries in. A
 * redelivered record is skipped by its partition's consumed position, kept in the same transaction.
 */
@Repository
class AuditLog {

    static final String GENESIS = "0".repeat(64);

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
        Map<String, List<Appended>> byTenant = new TreeMap<>();
        for (Appended entry : unconsumed(entries)) {
            byTenant.computeIfAbsent(entry.decision().tenantId(), t -> new ArrayList<>()).add(entry);
        }
        var rows = new ArrayList<Object[]>();
        var moved = new ArrayList<Object[]>();
        String keyId = mac.activeKey();
        for (var tenant : byTenant.entrySet()) {
            // Tenants in sorted order: two instances appending to overlapping tenants cannot deadlock.
            jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param(tenant.getKey()).query().singleRow();
            var last = jdbc.sql("""
                            select hash, coalesce(tenant_seq, 0) as tenant_seq from audit_entry where tenant_id = ?
                            order by seq desc limit 1""")
                    .param(tenant.getKey())
                    .query((rs, i) -> new Object[] {rs.getString("hash"), rs.getLong("tenant_seq")})
                    .optional().orElse(new Object[] {GENESIS, 0L});
            String previous = (String) last[0];
            long tenantSeq = (Long) last[1];
            for (Appended entry : tenant.getValue()) {
                var d = entry.decision();
                String hash = mac.mac(keyId, content(previous, entry.id(), d));
                rows.add(new Object[] {entry.id(), d.tenantId(), d.environment(), d.action(), d.outcome(),
                        d.messageId(), d.eventId(), d.detail(), d.actor(), d.occurredAt(), previous, hash, ++tenantSeq,
                        "tenant", keyId});
                previous = hash;
            }
            moved.add(new Object[] {tenant.getKey(), tenantSeq, previous});
        }
        if (!rows.isEmpty()) {
            copy(rows);
            // Heads name committed entries only: a rolled-back batch must not be signed as the chain's end.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    moved.forEach(m -> heads.moved((String) m[0], (Long) m[1], (String) m[2]));
                }
            });
        }
        return rows.size();
    }

    /**
     * The rows in with one COPY, inside the batch's transaction: about twice the rate of multi-row inserts, the
     * difference between the log keeping up with ~1,000 messages a second (six entries each) and falling behind.
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
                                          actor, occurred_at, previous_hash, hash, tenant_seq, chain, key_id)
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
     * in the tenant's chain), in words; nothing when the chain and its signed head agree.
     */
    record Verification(boolean intact, Long firstBrokenSeq, Long firstMissing, String reason, long entries,
                        Long headCount, Instant headSignedAt) {
    }

    /**
     * Recomputes a tenant's chain and holds it against its latest signed head. Every entry's MAC must match its
     * content and previous hash, and follow the tenant's previous entry; once entries are keyed, no later one may be
     * unkeyed. The chain must reach the head's count with the head's hash, so deleting the newest entries, or all of
     * them, is found. Streams the chain from a cursor (a thousand rows at a time): any length, the same memory.
     */
    @Transactional(readOnly = true)
    Verification verify(String tenantId) {
        var head = heads.latest(tenantId);
        if (head.isPresent() && !heads.authentic(head.get())) {
            return new Verification(false, null, null, "the published chain head does not verify: it was not signed "
                    + "with a configured chain key, or was changed", 0, head.get().count(), head.get().signedAt());
        }
        long headCount = head.map(ChainHeads.Head::count).orElse(0L);
        var walk = new Object() {
            String previous;
            boolean keyed;
            Long broken;
            long entries;
            long lastTenantSeq;
            String hashAtHead;
        };
        batch.query(connection -> {
            var statement = connection.prepareStatement("select * from audit_entry where tenant_id = ? order by seq",
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
            walk.entries++;
            var decision = new AuditDecision(e.action(), e.outcome(), e.tenantId(), e.environment(), e.messageId(),
                    e.eventId(), e.detail(), e.actor(), e.occurredAt());
            boolean tenantChain = rs.getString("chain").equals("tenant");
            boolean linked = !tenantChain || e.previousHash().equals(walk.previous == null ? GENESIS : walk.previous);
            boolean matches;
            try {
                matches = !(walk.keyed && keyId == null)
                        && e.hash().equals(mac.mac(keyId, content(e.previousHash(), e.id(), decision)));
            } catch (ChainMac.UnknownKeyException unknown) {
                matches = false;
            }
            if (!linked || !matches) {
                walk.broken = e.seq();
                return;
            }
            walk.keyed |= keyId != null;
            walk.previous = e.hash();
            if (tenantChain) {
                walk.lastTenantSeq = rs.getLong("tenant_seq");
                if (walk.lastTenantSeq == headCount) {
                    walk.hashAtHead = e.hash();
                }
            }
        });
        Instant signedAt = head.map(ChainHeads.Head::signedAt).orElse(null);
        Long count = head.map(ChainHeads.Head::count).orElse(null);
        if (walk.broken != null) {
            return new Verification(false, walk.broken, null, "entry " + walk.broken + " does not match its content "
                    + "or does not follow the entry before it", walk.entries, count, signedAt);
        }
        if (head.isPresent() && walk.lastTenantSeq < headCount) {
            return new Verification(false, null, walk.lastTenantSeq + 1, "the chain head signed at " + signedAt
                    + " counts " + headCount + " entries; the log holds " + walk.lastTenantSeq + ": entries from number "
                    + (walk.lastTenantSeq + 1) + " are missing (deleted or truncated)", walk.entries, count, signedAt);
        }
        if (head.isPresent() && !head.get().lastHash().equals(walk.hashAtHead)) {
            return new Verification(false, null, headCount, "entry number " + headCount + " is not the one the chain "
                    + "head signed at " + signedAt + " names", walk.entries, count, signedAt);
        }
        return new Verification(true, null, null, head.isPresent() ? "intact up to its signed head and beyond"
                : "intact; no signed head published yet", walk.entries, count, signedAt);
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
