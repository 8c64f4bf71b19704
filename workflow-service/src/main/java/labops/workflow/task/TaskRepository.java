package labops.workflow.task;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TaskRepository {

    private final JdbcClient jdbc;

    TaskRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts, in one statement, every task whose source event has none yet; returns those inserted (a redelivered
     * event inserts nothing).
     */
    List<Task> insertIfAbsent(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        var inserted = jdbc.sql("""
                        insert into task (id, tenant_id, environment, kind, status, source_event_id, raw_message_id,
                                          placer_order_number, priority, tests, detail)
                        select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[],
                                             ?::text[], ?::text[], ?::text[], ?::text[])
                        on conflict (source_event_id) do nothing
                        returning id""")
                .params(uuids(tasks, Task::id), texts(tasks, Task::tenantId), texts(tasks, Task::environment),
                        texts(tasks, Task::kind), texts(tasks, Task::status), uuids(tasks, Task::sourceEventId),
                        texts(tasks, Task::rawMessageId), texts(tasks, Task::placerOrderNumber),
                        texts(tasks, Task::priority), texts(tasks, Task::tests), texts(tasks, Task::detail))
                .query(UUID.class).set();
        return tasks.stream().filter(t -> inserted.contains(t.id())).toList();
    }

    /**
     * A change to an order's review tasks: those in one of {@code from} move to {@code to}. An order is named by
     * tenant, environment and placer order number, as the hospital names it.
     */
    record Change(String tenantId, String environment, String placerOrderNumber, List<String> from, String to,
                  String action, UUID eventId, String rawMessageId) {
    }

    /** A task a change moved. */
    record Moved(Task task, Change change) {
    }

    /** Applies changes to different orders in one statement; returns the tasks moved, each with its change. */
    List<Moved> transition(List<Change> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        update task t set status = c.target, updated_at = now()
                        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])
                             as c(tenant_id, environment, placer, from_statuses, target, n)
                        where t.tenant_id = c.tenant_id and t.environment = c.environment
                          and t.placer_order_number = c.placer and t.kind = ?
                          and t.status = any(string_to_array(c.from_statuses, ','))
                        returning t.*, c.n""")
                .params(texts(changes, Change::tenantId), texts(changes, Change::environment),
                        texts(changes, Change::placerOrderNumber), texts(changes, c -> String.join(",", c.from())),
                        texts(changes, Change::to),
                        java.util.stream.IntStream.range(0, changes.size()).boxed().toArray(Integer[]::new),
                        Task.REVIEW_NEW_ORDER)
                .query((rs, row) -> new Moved(task(rs, row), changes.get(rs.getInt("n"))))
                .list();
    }

    private static UUID[] uuids(List<Task> tasks, Function<Task, UUID> field) {
        return tasks.stream().map(field).toArray(UUID[]::new);
    }

    private static <T> String[] texts(List<T> rows, Function<T, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }

    /** A tenant's tasks in one status, as staff work them: STAT first, then oldest first. */
    List<Task> findByTenant(String tenantId, String status) {
        return jdbc.sql("""
                        select * from task where tenant_id = ? and status = ?
                        order by priority = 'STAT' desc, created_at, placer_order_number""")
                .params(tenantId, status)
                .query(TaskRepository::task)
                .list();
    }

    private static Task task(ResultSet rs, int row) throws SQLException {
        return new Task(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("environment"),
                rs.getString("kind"), rs.getString("status"), rs.getObject("source_event_id", UUID.class),
                rs.getString("raw_message_id"), rs.getString("placer_order_number"), rs.getString("priority"),
                rs.getString("tests"), rs.getString("detail"), rs.getTimestamp("created_at").toInstant());
    }
}
