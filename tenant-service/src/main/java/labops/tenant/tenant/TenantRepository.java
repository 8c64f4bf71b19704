package labops.tenant.tenant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

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
    @Transactional
    public void create(String tenantId, String name) {
        jdbc.sql("insert into tenant (id, name) values (?, ?)").params(tenantId, name).update();
        jdbc.sql("insert into environment (tenant_id, name) values (?, 'sandbox'), (?, 'production')")
                .params(tenantId, tenantId).update();
    }
}
