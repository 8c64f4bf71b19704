package labops.tenant.credential;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class CredentialRepository {

    private final JdbcClient jdbc;

    CredentialRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void create(ApiCredential credential, String secretHash) {
        jdbc.sql("""
                        insert into api_credential (id, tenant_id, environment, client_id, name, scopes, created_by)
                        values (?, ?, ?, ?, ?, ?::text[], ?)""")
                .params(credential.id(), credential.tenantId(), credential.environment(), credential.clientId(),
                        credential.name(), "{" + String.join(",", credential.scopes()) + "}", credential.createdBy())
                .update();
        addSecret(credential.id(), secretHash, Duration.ZERO, credential.createdBy());
    }

    /** Adds a secret hash; the earlier valid ones stay valid for {@code overlap} more. */
    public void addSecret(UUID credentialId, String secretHash, Duration overlap, String by) {
        jdbc.sql("""
                        update api_credential_secret set expires_at = least(coalesce(expires_at, 'infinity'), ?)
                        where credential_id = ? and (expires_at is null or expires_at > now())""")
                .params(Timestamp.from(Instant.now().plus(overlap)), credentialId)
                .update();
        jdbc.sql("insert into api_credential_secret (id, credential_id, secret_hash, created_by) values (?, ?, ?, ?)")
                .params(UUID.randomUUID(), credentialId, secretHash, by)
                .update();
    }

    public boolean revoke(UUID credentialId, String by) {
        return jdbc.sql("update api_credential set revoked_at = now(), revoked_by = ? where id = ? and revoked_at is null")
                .params(by, credentialId).update() == 1;
    }

    public List<ApiCredential> byTenant(String tenantId) {
        return jdbc.sql("select * from api_credential where tenant_id = ? order by created_at")
                .param(tenantId).query(this::credential).list();
    }

    public Optional<ApiCredential> byClientId(String clientId) {
        return jdbc.sql("select * from api_credential where client_id = ?")
                .param(clientId).query(this::credential).optional();
    }

    public Optional<ApiCredential> byId(UUID id) {
        return jdbc.sql("select * from api_credential where id = ?").param(id).query(this::credential).optional();
    }

    /** Hashes of the secrets valid now; empty for a revoked credential. */
    public List<String> validSecretHashes(UUID credentialId) {
        return jdbc.sql("""
                        select s.secret_hash from api_credential_secret s join api_credential c on c.id = s.credential_id
                        where c.id = ? and c.revoked_at is null and (s.expires_at is null or s.expires_at > now())
                        order by s.created_at desc""")
                .param(credentialId).query(String.class).list();
    }

    private ApiCredential credential(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        var periods = jdbc.sql("""
                        select created_at, created_by, expires_at from api_credential_secret
                        where credential_id = ? and (expires_at is null or expires_at > now()) order by created_at""")
                .param(id)
                .query((s, i) -> new ApiCredential.SecretPeriod(s.getTimestamp("created_at").toInstant(),
                        s.getString("created_by"), instant(s.getTimestamp("expires_at"))))
                .list();
        return new ApiCredential(id, rs.getString("tenant_id"), rs.getString("environment"), rs.getString("client_id"),
                rs.getString("name"), strings(rs.getArray("scopes")), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"), instant(rs.getTimestamp("revoked_at")), rs.getString("revoked_by"),
                rs.getObject("revoked_at") == null ? periods : List.of());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
