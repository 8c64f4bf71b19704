package labops.tenant.connection;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class ConnectionRepository {

    private final JdbcClient jdbc;

    ConnectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<MllpEndpoint> activeMllpEndpoints() {
        return jdbc.sql("""
                        select id, tenant_id, environment, purpose, port, allowed_sources
                        from mllp_endpoint where revoked_at is null order by port""")
                .query((rs, i) -> new MllpEndpoint(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("environment"), rs.getString("purpose"), rs.getInt("port"),
                        strings(rs.getArray("allowed_sources"))))
                .list();
    }

    public Optional<ResultDestination> activeResultDestination(String tenantId, String environment) {
        return jdbc.sql("""
                        select id, url from webhook_destination
                        where tenant_id = ? and environment = ? and revoked_at is null""")
                .params(tenantId, environment)
                .query((rs, i) -> new ResultDestination(rs.getObject("id", UUID.class), tenantId, environment,
                        rs.getString("url"), activeSecrets(rs.getObject("id", UUID.class))))
                .optional();
    }

    @Transactional
    public void addMllpEndpoint(MllpEndpoint endpoint) {
        jdbc.sql("""
                        insert into mllp_endpoint (id, tenant_id, environment, purpose, port, allowed_sources)
                        values (?, ?, ?, ?, ?, ?::text[])""")
                .params(endpoint.id(), endpoint.tenantId(), endpoint.environment(), endpoint.purpose(), endpoint.port(),
                        "{" + String.join(",", endpoint.allowedSources()) + "}")
                .update();
    }

    /** Adds a webhook destination with its first signing secret. */
    @Transactional
    public void addWebhookDestination(ResultDestination destination) {
        jdbc.sql("insert into webhook_destination (id, tenant_id, environment, url) values (?, ?, ?, ?)")
                .params(destination.id(), destination.tenantId(), destination.environment(), destination.url())
                .update();
        for (var secret : destination.secrets()) {
            jdbc.sql("insert into signing_secret (id, destination_id, secret) values (?, ?, ?)")
                    .params(secret.id(), destination.id(), secret.secret())
                    .update();
        }
    }

    private List<ResultDestination.Secret> activeSecrets(UUID destinationId) {
        return jdbc.sql("""
                        select id, secret from signing_secret
                        where destination_id = ? and revoked_at is null order by created_at desc""")
                .param(destinationId)
                .query((rs, i) -> new ResultDestination.Secret(rs.getObject("id", UUID.class), rs.getString("secret")))
                .list();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
