package labops.tenant.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import labops.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class TenantRepository {

    private final JdbcClient jdbc;

    TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String tenantId) {
        return jdbc.sql("select count(*) from tenant where id = ?").param(tenantId).query(Integer.class).single() > 0;
    }

    /** Creates a tenant with its sandbox and production environments. */
    public void create(String tenantId, String name) {
        jdbc.sql("insert into tenant (id, name) values (?, ?)").params(tenantId, name).update();
        jdbc.sql("insert into environment (tenant_id, name) values (?, 'sandbox'), (?, 'production')")
                .params(tenantId, tenantId).update();
    }

    public Optional<Tenant> find(String tenantId) {
        return jdbc.sql("select * from tenant where id = ?").param(tenantId).query(TenantRepository::tenant).optional();
    }

    /** The tenant, or 404 for a caller who may see it but names one that does not exist. */
    public Tenant require(String tenantId) {
        return find(tenantId).orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no such tenant"));
    }

    public List<Tenant> all() {
        return jdbc.sql("select * from tenant order by id").query(TenantRepository::tenant).list();
    }

    public List<String> ids() {
        return jdbc.sql("select id from tenant order by id").query(String.class).list();
    }

    public void rename(String tenantId, String name) {
        jdbc.sql("update tenant set name = ?, updated_at = now() where id = ?").params(name, tenantId).update();
    }

    public void setSuspended(String tenantId, boolean suspended) {
        jdbc.sql("update tenant set status = ?, updated_at = now() where id = ?")
                .params(suspended ? "suspended" : "active", tenantId).update();
    }

    private static Tenant tenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getString("id"), rs.getString("name"), rs.getString("status").equals("suspended"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
