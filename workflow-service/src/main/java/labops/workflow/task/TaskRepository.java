package labops.workflow.task;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TaskRepository {

    private final JdbcClient jdbc;

    TaskRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts unless a task for the same source event exists; true when inserted. */
    boolean insertIfAbsent(Task task) {
        return jdbc.sql("""
                        insert into task (id, tenant_id, environment, kind, status, source_event_id, raw_message_id,
                                          placer_order_number, priority, tests)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (source_event_id) do nothing""")
                .params(task.id(), task.tenantId(), task.environment(), task.kind(), task.status(), task.sourceEventId(),
                        task.rawMessageId(), task.placerOrderNumber(), task.priority(), task.tests())
                .update() == 1;
    }

    List<Task> findByTenant(String tenantId, String status) {
        return jdbc.sql("""
                        select * from task where tenant_id = ? and status = ?
                        order by created_at, placer_order_number""")
                .params(tenantId, status)
                .query(TaskRepository::task)
                .list();
    }

    private static Task task(ResultSet rs, int row) throws SQLException {
        return new Task(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("environment"),
                rs.getString("kind"), rs.getString("status"), rs.getObject("source_event_id", UUID.class),
                rs.getString("raw_message_id"), rs.getString("placer_order_number"), rs.getString("priority"),
                rs.getString("tests"), rs.getTimestamp("created_at").toInstant());
    }
}
