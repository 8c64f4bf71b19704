package labops.tenant.connection;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Connections by direction and MLLP endpoints. Callers run inside a change's transaction. */
@Repository
public class ConnectionRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    ConnectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A connection's state; settings are parsed by the caller, who knows the direction's type. */
    public record Connection(String tenantId, String environment, Direction direction, boolean active, String settings,
                             Instant updatedAt, String updatedBy, Instant activatedAt, String activatedBy) {

        public <T> T settings(Class<T> type) {
            return JSON.readValue(settings, type);
        }

        /** The connection of {@code environment} and {@code direction} among a tenant's {@code connections}. */
        public static Connection of(List<Connection> connections, String environment, Direction direction) {
            return connections.stream().filter(c -> c.environment().equals(environment) && c.direction() == direction)
                    .findFirst().orElseThrow();
        }
    }

    /** Every direction of both environments; sandbox connections are active from the start. */
    public void createAll(String tenantId, String by) {
        for (String environment : Environments.ALL) {
            for (Direction direction : Direction.values()) {
                Object settings = direction == Direction.RECEIVE_ORDERS
                        ? new ConnectionSettings.ReceiveOrders(false) : java.util.Map.of();
                jdbc.sql("""
                                insert into connection (tenant_id, environment, direction, active, settings, updated_by)
                                values (?, ?, ?, ?, ?::jsonb, ?)""")
                        .params(tenantId, environment, direction.id(), environment.equals(Environments.SANDBOX),
                                JSON.writeValueAsString(settings), by)
                        .update();
            }
        }
    }

    public List<Connection> connections(String tenantId) {
        return jdbc.sql("select * from connection where tenant_id = ? order by environment desc, direction")
                .param(tenantId)
                .query((rs, i) -> new Connection(rs.getString("tenant_id"), rs.getString("environment"),
                        Direction.of(rs.getString("direction")), rs.getBoolean("active"), rs.getString("settings"),
                        instant(rs.getTimestamp("updated_at")), rs.getString("updated_by"),
                        instant(rs.getTimestamp("activated_at")), rs.getString("activated_by")))
                .list();
    }

    public Connection connection(String tenantId, String environment, Direction direction) {
        return Connection.of(connections(tenantId), environment, direction);
    }

    public void updateSettings(String tenantId, String environment, Direction direction, Object settings, String by) {
        jdbc.sql("""
                        update connection set settings = ?::jsonb, updated_at = now(), updated_by = ?
                        where tenant_id = ? and environment = ? and direction = ?""")
                .params(JSON.writeValueAsString(settings), by, tenantId, environment, direction.id())
                .update();
    }

    public void activate(String tenantId, String environment, Direction direction, String by) {
        jdbc.sql("""
                        update connection set active = true, activated_at = now(), activated_by = ?
                        where tenant_id = ? and environment = ? and direction = ?""")
                .params(by, tenantId, environment, direction.id())
                .update();
    }

    /**
     * Takes a live production direction back out of service until a Lab Ops admin activates it again (approving the
     * change); {@code activated_at} is kept, which is how a change awaiting approval differs from never having gone live.
     */
    public void awaitApproval(String tenantId, String environment, Direction direction) {
        jdbc.sql("update connection set active = false where tenant_id = ? and environment = ? and direction = ?")
                .params(tenantId, environment, direction.id())
                .update();
    }

    public List<MllpEndpoint> activeMllpEndpoints(String tenantId) {
        return jdbc.sql("""
                        select * from mllp_endpoint where tenant_id = ? and revoked_at is null order by environment, port""")
                .param(tenantId)
                .query((rs, i) -> new MllpEndpoint(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("environment"), rs.getString("purpose"), rs.getInt("port"),
                        strings(rs.getArray("allowed_sources")), rs.getBoolean("tls"),
                        strings(rs.getArray("accepted_types")), instant(rs.getTimestamp("created_at")),
                        rs.getString("created_by")))
                .list();
    }

    /** Adds an endpoint on {@code port}; false when another active endpoint has it. */
    public boolean addMllpEndpoint(MllpEndpoint endpoint) {
        try {
            jdbc.sql("""
                            insert into mllp_endpoint (id, tenant_id, environment, purpose, port, allowed_sources, tls,
                                                       accepted_types, created_by)
                            values (?, ?, ?, ?, ?, ?::text[], ?, ?::text[], ?)""")
                    .params(endpoint.id(), endpoint.tenantId(), endpoint.environment(), endpoint.purpose(),
                            endpoint.port(), "{" + String.join(",", endpoint.allowedSources()) + "}", endpoint.tls(),
                            "{" + String.join(",", endpoint.acceptedTypes().stream().map(t -> '"' + t + '"').toList())
                                    + "}", endpoint.createdBy())
                    .update();
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /** The lowest port of the range that no active endpoint uses, if any. */
    public Optional<Integer> freePort(int from, int to) {
        return jdbc.sql("""
                        select p from generate_series(?, ?) p
                        where not exists (select 1 from mllp_endpoint where port = p and revoked_at is null)
                        order by p limit 1""")
                .params(from, to)
                .query(Integer.class).optional();
    }

    /** True when the endpoint existed, belonged to the tenant and was active. */
    public boolean revokeMllpEndpoint(String tenantId, UUID id, String by) {
        return jdbc.sql("""
                        update mllp_endpoint set revoked_at = now(), revoked_by = ?
                        where id = ? and tenant_id = ? and revoked_at is null""")
                .params(by, id, tenantId)
                .update() == 1;
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
