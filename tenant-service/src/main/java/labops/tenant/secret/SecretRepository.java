package labops.tenant.secret;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import labops.tenant.connection.Direction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sealed connection secrets. A secret is valid until its {@code expires_at}, or for good when that is unset. */
@Repository
public class SecretRepository {

    /** What kind of secret a connection holds. */
    public enum Kind {
        /** Standard Webhooks signing secret: inbound (receive-orders) or outbound (send-results). */
        SIGNING("signing"),
        /** The client secret the hospital issued Lab Ops for its FHIR server. */
        CLIENT_SECRET("client-secret"),
        /** Lab Ops' private key for private_key_jwt at the hospital's FHIR server (PEM). */
        PRIVATE_KEY("private-key"),
        /** A bearer token or password for a result destination. */
        DESTINATION_CREDENTIAL("destination-credential");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** A secret's metadata: what a page may show. */
    public record SecretInfo(UUID id, String fingerprint, Instant createdAt, String createdBy, Instant expiresAt) {
    }

    private final JdbcClient jdbc;
    private final SecretBox box;

    SecretRepository(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    /**
     * Stores a new secret; the kind's earlier valid secrets stay valid for {@code overlap} more (zero ends them now).
     * Returns the new secret's id.
     */
    public UUID replace(String tenantId, String environment, Direction direction, Kind kind, String plaintext,
                        Duration overlap, String by) {
        jdbc.sql("""
                        update connection_secret set expires_at = least(coalesce(expires_at, 'infinity'), ?)
                        where tenant_id = ? and environment = ? and direction = ? and kind = ?
                          and (expires_at is null or expires_at > now())""")
                .params(Timestamp.from(Instant.now().plus(overlap)), tenantId, environment, direction.id(), kind.id())
                .update();
        UUID id = UUID.randomUUID();
        SecretBox.Sealed sealed = box.seal(plaintext,
                SealedPlaces.connectionSecret(id, tenantId, environment, direction.id(), kind.id()));
        jdbc.sql("""
                        insert into connection_secret (id, tenant_id, environment, direction, kind, key_id, ciphertext,
                                                       fingerprint, created_by)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, tenantId, environment, direction.id(), kind.id(), sealed.keyId(), sealed.ciphertext(),
                        SecretBox.fingerprint(plaintext), by)
                .update();
        return id;
    }

    /** Valid secrets of a kind, newest first. */
    public List<SecretInfo> valid(String tenantId, String environment, Direction direction, Kind kind) {
        return jdbc.sql("""
                        select id, fingerprint, created_at, created_by, expires_at from connection_secret
                        where tenant_id = ? and environment = ? and direction = ? and kind = ?
                          and (expires_at is null or expires_at > now())
                        order by created_at desc""")
                .params(tenantId, environment, direction.id(), kind.id())
                .query(SecretRepository::info).list();
    }

    /** The values of the valid secrets of a kind, newest first, for the services that sign or verify with them. */
    public List<Opened> open(String tenantId, String environment, Direction direction, Kind kind) {
        return jdbc.sql("""
                        select id, key_id, ciphertext, tenant_id, environment, direction, kind from connection_secret
                        where tenant_id = ? and environment = ? and direction = ? and kind = ?
                          and (expires_at is null or expires_at > now())
                        order by created_at desc""")
                .params(tenantId, environment, direction.id(), kind.id())
                .query((rs, i) -> new Opened(rs.getObject("id", UUID.class), box.open(
                        new SecretBox.Sealed(rs.getString("key_id"), rs.getString("ciphertext")), place(rs))))
                .list();
    }

    /** A value's place is its row, as stored. */
    static String place(ResultSet rs) throws SQLException {
        return SealedPlaces.connectionSecret(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                rs.getString("environment"), rs.getString("direction"), rs.getString("kind"));
    }

    /** A secret's value, in memory only. */
    public record Opened(UUID id, String secret) {
    }

    /** Tenants with a secret that stopped being valid in {@code (since, until]}: their configuration changed. */
    public List<String> tenantsWithSecretsExpiredBetween(Instant since, Instant until) {
        return jdbc.sql("""
                        select distinct tenant_id from connection_secret where expires_at > ? and expires_at <= ?
                        union
                        select distinct c.tenant_id from api_credential_secret s join api_credential c on c.id = s.credential_id
                        where s.expires_at > ? and s.expires_at <= ?""")
                .params(Timestamp.from(since), Timestamp.from(until), Timestamp.from(since), Timestamp.from(until))
                .query(String.class).list();
    }

    private static SecretInfo info(ResultSet rs, int row) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        return new SecretInfo(rs.getObject("id", UUID.class), rs.getString("fingerprint"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"),
                expires == null ? null : expires.toInstant());
    }
}
