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

    boolean delivered(UUID resultEventId) {
        return count("select count(*) from delivery_attempt where result_event_id = ? and outcome = 'delivered'",
                resultEventId) > 0;
    }

    int previousAttempts(UUID resultEventId) {
        return count("select count(*) from delivery_attempt where result_event_id = ?", resultEventId);
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

    private int count(String sql, UUID resultEventId) {
        return jdbc.sql(sql).param(resultEventId).query(Integer.class).single();
    }
}
