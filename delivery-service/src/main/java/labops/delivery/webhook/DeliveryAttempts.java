package labops.delivery.webhook;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DeliveryAttempts {

    private final JdbcClient jdbc;

    DeliveryAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What was tried for a result so far; the last attempt's destination and reason (null before the first). */
    record History(int attempts, boolean delivered, UUID destinationId, String lastReason) {
    }

    History history(UUID resultEventId) {
        return jdbc.sql("""
                        select count(*) as attempts, coalesce(bool_or(outcome = 'delivered'), false) as delivered,
                               (array_agg(destination_id order by attempt desc))[1] as destination_id,
                               (array_agg(reason order by attempt desc))[1] as last_reason
                        from delivery_attempt where result_event_id = ?""")
                .param(resultEventId)
                .query((rs, row) -> new History(rs.getInt("attempts"), rs.getBoolean("delivered"),
                        rs.getObject("destination_id", UUID.class), rs.getString("last_reason")))
                .single();
    }

    void record(UUID resultEventId, String tenantId, String environment, UUID destinationId, int attempt,
                boolean delivered, Integer statusCode, String reason) {
        jdbc.sql("""
                        insert into delivery_attempt (id, result_event_id, tenant_id, environment, destination_id, attempt,
                                                      outcome, status_code, reason)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(UUID.randomUUID(), resultEventId, tenantId, environment, destinationId, attempt,
                        delivered ? "delivered" : "failed", statusCode, reason)
                .update();
    }
}
