package labops.tenant.golive;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import labops.tenant.connection.Direction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The production go-live checklist and the sandbox evidence, per tenant and direction. */
@Repository
public class GoLiveRepository {

    /** A confirmed checklist item. */
    public record Completed(GoLiveItem item, String note, Instant completedAt, String completedBy) {
    }

    /** The first time a direction worked in sandbox. */
    public record Evidence(Instant seenAt, String reference) {
    }

    private final JdbcClient jdbc;

    GoLiveRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Completed> completed(String tenantId, Direction direction) {
        return jdbc.sql("select * from go_live_item where tenant_id = ? and direction = ? order by completed_at")
                .params(tenantId, direction.id())
                .query((rs, i) -> new Completed(GoLiveItem.of(rs.getString("item")), rs.getString("note"),
                        rs.getTimestamp("completed_at").toInstant(), rs.getString("completed_by")))
                .list();
    }

    public void complete(String tenantId, Direction direction, GoLiveItem item, String note, String by) {
        jdbc.sql("""
                        insert into go_live_item (tenant_id, direction, item, note, completed_by) values (?, ?, ?, ?, ?)
                        on conflict (tenant_id, direction, item)
                        do update set note = excluded.note, completed_at = now(), completed_by = excluded.completed_by""")
                .params(tenantId, direction.id(), item.id(), note, by)
                .update();
    }

    public void reopen(String tenantId, Direction direction, GoLiveItem item) {
        jdbc.sql("delete from go_live_item where tenant_id = ? and direction = ? and item = ?")
                .params(tenantId, direction.id(), item.id()).update();
    }

    public Optional<Evidence> evidence(String tenantId, Direction direction) {
        return jdbc.sql("select seen_at, reference from sandbox_evidence where tenant_id = ? and direction = ?")
                .params(tenantId, direction.id())
                .query((rs, i) -> new Evidence(rs.getTimestamp("seen_at").toInstant(), rs.getString("reference")))
                .optional();
    }

    /** Records the first success only; true when this was it. */
    public boolean recordEvidence(String tenantId, Direction direction, Instant seenAt, String reference) {
        return jdbc.sql("""
                        insert into sandbox_evidence (tenant_id, direction, seen_at, reference)
                        select ?, ?, ?, ? where exists (select 1 from tenant where id = ?)
                        on conflict do nothing""")
                .params(tenantId, direction.id(), java.sql.Timestamp.from(seenAt), reference, tenantId)
                .update() == 1;
    }
}
