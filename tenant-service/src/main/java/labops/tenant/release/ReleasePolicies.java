package labops.tenant.release;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import labops.platform.tenant.TenantConfiguration.ReleasePolicy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each tenant's release policy; a tenant without one has the default. */
@Repository
public class ReleasePolicies {

    private final JdbcClient jdbc;

    ReleasePolicies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public ReleasePolicy find(String tenantId) {
        return jdbc.sql("select review_all, review_tests, release_preliminary from release_policy where tenant_id = ?")
                .param(tenantId)
                .query((rs, row) -> new ReleasePolicy(rs.getBoolean(1), texts(rs.getArray(2)), rs.getBoolean(3)))
                .optional().orElse(ReleasePolicy.DEFAULT);
    }

    void save(String tenantId, ReleasePolicy policy, String actor) {
        jdbc.sql("""
                        insert into release_policy (tenant_id, review_all, review_tests, release_preliminary, updated_at,
                                                    updated_by)
                        values (?, ?, ?::text[], ?, now(), ?)
                        on conflict (tenant_id) do update set review_all = excluded.review_all,
                            review_tests = excluded.review_tests, release_preliminary = excluded.release_preliminary,
                            updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
                .params(tenantId, policy.reviewAll(), policy.reviewTests().toArray(String[]::new),
                        policy.releasePreliminary(), actor)
                .update();
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
