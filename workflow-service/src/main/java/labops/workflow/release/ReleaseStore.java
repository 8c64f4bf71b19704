package labops.workflow.release;

import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.events.LabResultEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What became of each result under its tenant's release policy ({@code result_release}). */
@Repository
class ReleaseStore {

    /** One result's release decision as stored. */
    record Row(UUID eventId, UUID reviewId, String tenantId, String environment, String orderNumber, String status,
               byte[] payload, String enteredBy) {

        LabResultEvent result() {
            try {
                return LabResultEvent.fromByteBuffer(ByteBuffer.wrap(payload));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a stored result no longer decodes", e);
            }
        }
    }

    private final JdbcClient jdbc;

    ReleaseStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the decisions of results not decided before, in one statement; returns the event ids it recorded (a
     * redelivered result records nothing, so it is neither sent again nor given a second review task).
     */
    java.util.Set<UUID> decide(List<Decided> decided) {
        if (decided.isEmpty()) {
            return java.util.Set.of();
        }
        return jdbc.sql("""
                        insert into result_release (event_id, review_id, tenant_id, environment, order_number, status,
                                                    result_status, payload, decided_by, decided_at, received_at,
                                                    entered_by)
                        select e, r, t, env, o, s, rs, p, d, case when d is null then null else now() end, ra, eb
                        from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                    ?::bytea[], ?::text[], ?::timestamptz[], ?::text[])
                             as x(e, r, t, env, o, s, rs, p, d, ra, eb)
                        on conflict (event_id) do nothing
                        returning event_id""")
                .params(decided.stream().map(Decided::eventId).toArray(UUID[]::new),
                        decided.stream().map(Decided::reviewId).toArray(UUID[]::new),
                        decided.stream().map(Decided::tenantId).toArray(String[]::new),
                        decided.stream().map(Decided::environment).toArray(String[]::new),
                        decided.stream().map(Decided::orderNumber).toArray(String[]::new),
                        decided.stream().map(Decided::status).toArray(String[]::new),
                        decided.stream().map(Decided::resultStatus).toArray(String[]::new),
                        decided.stream().map(Decided::payload).toArray(byte[][]::new),
                        decided.stream().map(Decided::decidedBy).toArray(String[]::new),
                        decided.stream().map(d -> Timestamp.from(d.receivedAt())).toArray(Timestamp[]::new),
                        decided.stream().map(Decided::enteredBy).toArray(String[]::new))
                .query(UUID.class).set();
    }

    /**
     * A decision to record; {@code payload} only for a result that waits for review; {@code enteredBy} the person
     * who entered it in Lab Ops, who may not release it.
     */
    record Decided(UUID eventId, UUID reviewId, String tenantId, String environment, String orderNumber, String status,
                   String resultStatus, byte[] payload, String decidedBy, Instant receivedAt, String enteredBy) {
    }

    /** The result a review task is for, locked until the caller's transaction ends. */
    Optional<Row> forReview(String tenantId, UUID reviewId) {
        return jdbc.sql("""
                        select event_id, review_id, tenant_id, environment, order_number, status, payload, entered_by
                        from result_release where tenant_id = ? and review_id = ? for update""")
                .params(tenantId, reviewId)
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getBytes(7), rs.getString(8)))
                .optional();
    }

    /** A person's decision on a result that waited for review; its kept copy is no longer needed. */
    void decided(UUID eventId, String status, String actor, String reasonCode) {
        jdbc.sql("""
                        update result_release set status = ?, decided_by = ?, decided_at = now(), reason_code = ?,
                                                  payload = null
                        where event_id = ?""")
                .params(status, actor, reasonCode, eventId).update();
    }
}
