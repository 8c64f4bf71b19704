package labops.audit.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import labops.platform.audit.AuditDecision;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Appends to the hash-chained audit log and reads it back. */
@Repository
class AuditLog {

    static final String GENESIS = "0".repeat(64);

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends unless an entry with this id exists (a redelivered record). */
    @Transactional
    void append(UUID id, AuditDecision decision) {
        // One writer at a time extends the chain.
        jdbc.sql("select pg_advisory_xact_lock(7301)").query().singleRow();
        if (jdbc.sql("select count(*) from audit_entry where id = ?").param(id).query(Integer.class).single() > 0) {
            return;
        }
        String previous = jdbc.sql("select hash from audit_entry order by seq desc limit 1")
                .query(String.class).optional().orElse(GENESIS);
        jdbc.sql("""
                        insert into audit_entry (id, tenant_id, environment, action, outcome, message_id, event_id, detail,
                                                 actor, occurred_at, previous_hash, hash)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, decision.tenantId(), decision.environment(), decision.action(), decision.outcome(),
                        decision.messageId(), decision.eventId(), decision.detail(), decision.actor(),
                        Timestamp.from(decision.occurredAt()), previous, hash(previous, id, decision))
                .update();
    }

    List<AuditEntry> find(String tenantId, String messageId) {
        return jdbc.sql("""
                        select * from audit_entry
                        where (cast(? as text) is null or tenant_id = ?) and (cast(? as text) is null or message_id = ?)
                        order by seq limit 1000""")
                .params(tenantId, tenantId, messageId, messageId)
                .query(AuditLog::entry)
                .list();
    }

    /** Recomputes the chain; returns the seq of the first entry that does not match, or null when intact. */
    Long firstBrokenEntry() {
        String previous = GENESIS;
        for (AuditEntry entry : jdbc.sql("select * from audit_entry order by seq").query(AuditLog::entry).list()) {
            var decision = new AuditDecision(entry.action(), entry.outcome(), entry.tenantId(), entry.environment(),
                    entry.messageId(), entry.eventId(), entry.detail(), entry.actor(), entry.occurredAt());
            if (!entry.previousHash().equals(previous) || !entry.hash().equals(hash(previous, entry.id(), decision))) {
                return entry.seq();
            }
            previous = entry.hash();
        }
        return null;
    }

    static String hash(String previous, UUID id, AuditDecision d) {
        String content = String.join("\u001f", previous, id.toString(), d.tenantId(), Objects.toString(d.environment()),
                d.action(), d.outcome(), Objects.toString(d.messageId()), Objects.toString(d.eventId()),
                Objects.toString(d.detail()), d.actor(), Long.toString(d.occurredAt().toEpochMilli()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                rs.getString("environment"), rs.getString("action"), rs.getString("outcome"), rs.getString("message_id"),
                rs.getString("event_id"), rs.getString("detail"), rs.getString("actor"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("previous_hash"), rs.getString("hash"));
    }
}
