package labops.workflow.task;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.stereotype.Repository;

@Repository
class TaskRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TaskSla sla;

    TaskRepository(JdbcClient jdbc, TaskSla sla) {
        this.jdbc = jdbc;
        this.sla = sla;
    }

    /**
     * Inserts, in one statement, every task whose source has none yet; returns those inserted (a redelivered source
     * inserts nothing: its task's id is already there, {@link Task#id}).
     */
    List<Task> insertIfAbsent(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        var inserted = jdbc.sql("""
                        insert into task (id, tenant_id, environment, kind, status, source_event_id, raw_message_id,
                                          placer_order_number, priority, tests, detail, created_at, due_at)
                        select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[],
                                             ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                             ?::timestamptz[])
                        on conflict (id) do nothing
                        returning id""")
                .params(uuids(tasks, Task::id), texts(tasks, Task::tenantId), texts(tasks, Task::environment),
                        texts(tasks, Task::kind), texts(tasks, Task::status), uuids(tasks, Task::sourceEventId),
                        texts(tasks, Task::rawMessageId), texts(tasks, Task::placerOrderNumber),
                        texts(tasks, Task::priority), texts(tasks, Task::tests), texts(tasks, Task::detail),
                        times(tasks, Task::createdAt), times(tasks, t -> sla.due(t.priority(), t.createdAt())))
                .query(UUID.class).set();
        return tasks.stream().filter(t -> inserted.contains(t.id())).toList();
    }

    /**
     * A change to an order's tasks: those in one of {@code from} move to {@code to}. An order is named by tenant,
     * environment and placer order number, as the hospital names it.
     */
    record Change(String tenantId, String environment, String placerOrderNumber, List<String> from, String to,
                  String action, UUID eventId, String rawMessageId) {
    }

    /** A task a change moved. */
    record Moved(Task task, Change change) {
    }

    /**
     * Applies changes to different orders in one statement; returns the tasks moved, each with its change. Every task
     * of the order moves but a critical call: a critical value is called whatever becomes of the order.
     */
    List<Moved> transition(List<Change> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        update task t set status = c.target, updated_at = now(), version = t.version + 1
                        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])
                             as c(tenant_id, environment, placer, from_statuses, target, n)
                        where t.tenant_id = c.tenant_id and t.environment = c.environment
                          and t.placer_order_number = c.placer and t.kind <> ?
                          and t.status = any(string_to_array(c.from_statuses, ','))
                        returning t.*, c.n""")
                .params(texts(changes, Change::tenantId), texts(changes, Change::environment),
                        texts(changes, Change::placerOrderNumber), texts(changes, c -> String.join(",", c.from())),
                        texts(changes, Change::to),
                        java.util.stream.IntStream.range(0, changes.size()).boxed().toArray(Integer[]::new),
                        Task.CRITICAL_CALLBACK)
                .query((rs, row) -> new Moved(task(rs, row), changes.get(rs.getInt("n"))))
                .list();
    }

    /**
     * What an action changes: status, assignee and closure.
     */
    record Update(String status, String assignee, Task.Closure closure) {
    }

    Optional<Task> find(String tenantId, UUID id) {
        return jdbc.sql("select * from task where tenant_id = ? and id = ?").params(tenantId, id)
                .query(TaskRepository::task).optional();
    }

    /** Applies {@code update} if the task is still at {@code version}; empty if someone changed it first. */
    Optional<Task> update(String tenantId, UUID id, int version, Update update) {
        var closure = update.closure();
        return jdbc.sql("""
                        update task set status = ?, assignee = ?, closed_by = ?, closed_at = ?, reason_code = ?,
                                        resolution = ?::jsonb, version = version + 1, updated_at = now()
                        where tenant_id = ? and id = ? and version = ?
                        returning *""")
                .params(update.status(), update.assignee(), closure == null ? null : closure.by(),
                        closure == null ? null : Timestamp.from(closure.at()), closure == null ? null : closure.reasonCode(),
                        closure == null ? null : JSON.writeValueAsString(closure.fields()), tenantId, id, version)
                .query(TaskRepository::task).optional();
    }

    private static UUID[] uuids(List<Task> tasks, Function<Task, UUID> field) {
        return tasks.stream().map(field).toArray(UUID[]::new);
    }

    private static Timestamp[] times(List<Task> tasks, Function<Task, Instant> field) {
        return tasks.stream().map(field).map(Timestamp::from).toArray(Timestamp[]::new);
    }

    private static <T> String[] texts(List<T> rows, Function<T, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }

    /** A tenant's tasks in one status, as staff work them: STAT first, then by due time. */
    List<Task> findByTenant(String tenantId, String status) {
        return findByTenant(tenantId, status, null, null, null);
    }

    /**
     * As {@link #findByTenant(String, String)}, in one environment, of one kind, and whose order number or tests
     * contain {@code search} (any case), each when it is given.
     */
    List<Task> findByTenant(String tenantId, String status, String environment, String search, String kind) {
        String like = search == null ? null
                : "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc.sql("""
                        select * from task where tenant_id = ? and status = ? and (?::text is null or environment = ?)
                          and (?::text is null or placer_order_number ilike ? or tests ilike ?)
                          and (?::text is null or kind = ?)
                        order by priority = 'STAT' desc, due_at, created_at, placer_order_number
                        limit 500""")
                .params(tenantId, status, environment, environment, like, like, like, kind, kind)
                .query(TaskRepository::task)
                .list();
    }

    private static Task task(ResultSet rs, int row) throws SQLException {
        return new Task(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("environment"),
                rs.getString("kind"), rs.getString("status"), rs.getObject("source_event_id", UUID.class),
                rs.getString("raw_message_id"), rs.getString("placer_order_number"), rs.getString("priority"),
                rs.getString("tests"), rs.getString("detail"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("due_at").toInstant(), rs.getString("assignee"), rs.getInt("version"), closure(rs));
    }

    private static Task.Closure closure(ResultSet rs) throws SQLException {
        String by = rs.getString("closed_by");
        if (by == null) {
            return null;
        }
        String resolution = rs.getString("resolution");
        return new Task.Closure(by, rs.getTimestamp("closed_at").toInstant(), rs.getString("reason_code"),
                resolution == null ? Map.of() : JSON.readValue(resolution, FIELDS));
    }
}
