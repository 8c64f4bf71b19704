package labops.workflow.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A tenant environment's day-to-day figures over the orders received in a range: turnaround by test and priority
 * (median and 90th percentile, per segment, and the share within target), open tasks by kind and age, critical calls
 * and volume by channel and outcome. Each is one aggregate query; nothing is kept for it but the orders' step times.
 */
@Repository
public class Reports {

    /**
     * Turnaround of one priority and test panel, in minutes. Ordered is the EHR's order time (else receipt).
     *
     * @param withinTarget percent of resulted orders whose order-to-result time is within the priority's target
     */
    public record Turnaround(String priority, String tests, long orders, long resulted, Double orderToResultMedian,
                             Double orderToResultP90, Double receivedToCollectedMedian, Double receivedToResultMedian,
                             Double resultToReleaseMedian, Double releaseToDeliveryMedian, Double withinTarget,
                             long targetMinutes) {
    }

    /** Open tasks of one kind: how many, how many past due, the oldest's age in minutes. */
    public record OpenTasks(String kind, long open, long overdue, long oldestMinutes) {
    }

    /**
     * Critical calls of results received in the range: documented within the limit (the STAT task time), documented
     * late, still open and overdue.
     */
    public record CriticalCalls(long documented, long withinLimit, long open, long overdue) {
    }

    /** Orders by how they came and what they came to. */
    public record Volume(String source, String status, long orders) {
    }

    private final JdbcClient jdbc;
    private final TurnaroundTargets targets;

    Reports(JdbcClient jdbc, TurnaroundTargets targets) {
        this.jdbc = jdbc;
        this.targets = targets;
    }

    public List<Turnaround> turnaround(String tenantId, String environment, Instant from, Instant to) {
        return jdbc.sql("""
                        with o as (
                            select priority, tests, resulted_at, released_at, delivered_at, collected_at, received_at,
                                   extract(epoch from resulted_at - coalesce(ordered_at, received_at)) / 60 as to_result,
                                   case priority when 'STAT' then ? when 'ASAP' then ? when 'URGENT' then ? else ? end
                                       as target
                            from order_record
                            where tenant_id = ? and environment = ? and received_at >= ? and received_at < ?)
                        select priority, tests, count(*) as orders, count(resulted_at) as resulted,
                               percentile_cont(0.5) within group (order by to_result) as to_result_p50,
                               percentile_cont(0.9) within group (order by to_result) as to_result_p90,
                               percentile_cont(0.5) within group (
                                   order by extract(epoch from collected_at - received_at) / 60) as to_collected_p50,
                               percentile_cont(0.5) within group (
                                   order by extract(epoch from resulted_at - received_at) / 60) as received_p50,
                               percentile_cont(0.5) within group (
                                   order by extract(epoch from released_at - resulted_at) / 60) as release_p50,
                               percentile_cont(0.5) within group (
                                   order by extract(epoch from delivered_at - released_at) / 60) as delivery_p50,
                               100.0 * count(*) filter (where to_result <= target) / nullif(count(resulted_at), 0)
                                   as within_target,
                               max(target) as target
                        from o group by priority, tests
                        order by priority = 'STAT' desc, priority, count(*) desc, tests""")
                .params(minutes(targets.stat()), minutes(targets.urgent()), minutes(targets.urgent()),
                        minutes(targets.routine()), tenantId, environment, Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> new Turnaround(rs.getString("priority"), rs.getString("tests"), rs.getLong("orders"),
                        rs.getLong("resulted"), number(rs, "to_result_p50"), number(rs, "to_result_p90"),
                        number(rs, "to_collected_p50"), number(rs, "received_p50"), number(rs, "release_p50"),
                        number(rs, "delivery_p50"),
                        number(rs, "within_target"), rs.getLong("target")))
                .list();
    }

    public List<OpenTasks> openTasks(String tenantId, String environment) {
        return jdbc.sql("""
                        select kind, count(*) as open, count(*) filter (where due_at < now()) as overdue,
                               coalesce(max(extract(epoch from now() - created_at) / 60), 0)::bigint as oldest
                        from task where tenant_id = ? and environment = ? and status = 'open'
                        group by kind order by count(*) filter (where due_at < now()) desc, kind""")
                .params(tenantId, environment)
                .query((rs, row) -> new OpenTasks(rs.getString("kind"), rs.getLong("open"), rs.getLong("overdue"),
                        rs.getLong("oldest")))
                .list();
    }

    public CriticalCalls criticalCalls(String tenantId, String environment, Instant from, Instant to) {
        return jdbc.sql("""
                        select count(*) filter (where status = 'done') as documented,
                               count(*) filter (where status = 'done' and closed_at <= due_at) as within_limit,
                               count(*) filter (where status = 'open') as open,
                               count(*) filter (where status = 'open' and due_at < now()) as overdue
                        from task where tenant_id = ? and environment = ? and kind = 'critical-callback'
                          and created_at >= ? and created_at < ?""")
                .params(tenantId, environment, Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> new CriticalCalls(rs.getLong("documented"), rs.getLong("within_limit"),
                        rs.getLong("open"), rs.getLong("overdue")))
                .single();
    }

    public List<Volume> volume(String tenantId, String environment, Instant from, Instant to) {
        return jdbc.sql("""
                        select source, status, count(*) as orders from order_record
                        where tenant_id = ? and environment = ? and received_at >= ? and received_at < ?
                        group by source, status order by source, status""")
                .params(tenantId, environment, Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> new Volume(rs.getString("source"), rs.getString("status"), rs.getLong("orders")))
                .list();
    }

    private static long minutes(java.time.Duration duration) {
        return duration.toMinutes();
    }

    private static Double number(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(value * 10) / 10.0;
    }
}
