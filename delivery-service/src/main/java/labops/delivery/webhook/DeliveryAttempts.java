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

    /** What was tried for a result so far. */
    record History(int attempts, boolean delivered) {
    }

    History history(UUID resultEventId) {
        return jdbc.sql("""
                        select count(*) as attempts, coalesce(bool_or(outcome = 'delivered'), false) as delivered
                        from delivery_attempt where result_event_id = ?""")
                .param(resultEventId)
                .query((rs, row) -> new History(rs.getInt("attempts"), rs.getBoolean("delivered")))
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
