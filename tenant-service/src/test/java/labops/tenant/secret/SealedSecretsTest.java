package labops.tenant.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import labops.tenant.TenantServiceTest;
import labops.tenant.connection.Direction;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Issue 28's last row: whoever can write the table, but holds no key, cannot make a sealed value open elsewhere. */
class SealedSecretsTest extends TenantServiceTest {

    @Autowired
    SecretRepository secrets;
    @Autowired
    SecretBox box;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    @Test
    void aValueMovedToAnotherTenantsOrAnotherPurposesRowDoesNotOpen() {
        String a = tenant();
        String b = tenant();
        UUID fromA = secrets.replace(a, "sandbox", Direction.SEND_RESULTS, SecretRepository.Kind.SIGNING,
                "whsec_value-of-tenant-a", Duration.ZERO, "test");
        UUID ofB = secrets.replace(b, "sandbox", Direction.SEND_RESULTS, SecretRepository.Kind.SIGNING,
                "whsec_value-of-tenant-b", Duration.ZERO, "test");
        UUID credentialOfA = secrets.replace(a, "sandbox", Direction.SEND_RESULTS,
                SecretRepository.Kind.DESTINATION_CREDENTIAL, "bearer-of-a", Duration.ZERO, "test");

        copyCiphertext(fromA, ofB);
        copyCiphertext(fromA, credentialOfA);

        assertThatThrownBy(() -> secrets.open(b, "sandbox", Direction.SEND_RESULTS, SecretRepository.Kind.SIGNING))
                .hasMessageContaining("moved from another row").hasMessageNotContaining("value-of");
        assertThatThrownBy(() -> secrets.open(a, "sandbox", Direction.SEND_RESULTS,
                SecretRepository.Kind.DESTINATION_CREDENTIAL)).hasMessageContaining("moved from another row");
        assertThat(secrets.open(a, "sandbox", Direction.SEND_RESULTS, SecretRepository.Kind.SIGNING))
                .extracting(SecretRepository.Opened::secret).containsExactly("whsec_value-of-tenant-a");
    }

    @Test
    void valuesSealedBeforeTheyWereBoundAreReSealedToTheirRowByTheMigration() throws Exception {
        String tenant = tenant();
        UUID id = secrets.replace(tenant, "production", Direction.PULL_DATA, SecretRepository.Kind.CLIENT_SECRET,
                "placeholder", Duration.ZERO, "test");
        // As the previous version sealed it: the key id as the only additional data.
        String keyId = jdbc.sql("select key_id from connection_secret where id = ?").param(id).query(String.class)
                .single();
        var legacy = box.seal("client-secret-from-before", SecretBox.keyIdOnly(keyId));
        jdbc.sql("update connection_secret set ciphertext = ? where id = ?").params(legacy.ciphertext(), id).update();
        assertThatThrownBy(() -> secrets.open(tenant, "production", Direction.PULL_DATA,
                SecretRepository.Kind.CLIENT_SECRET)).hasMessageContaining("moved from another row");

        try (Connection connection = dataSource.getConnection()) {
            new V5__SealedValuesBoundToTheirPlace(box).migrate(context(connection));
        }

        assertThat(secrets.open(tenant, "production", Direction.PULL_DATA, SecretRepository.Kind.CLIENT_SECRET))
                .extracting(SecretRepository.Opened::secret).containsExactly("client-secret-from-before");
    }

    private void copyCiphertext(UUID from, UUID to) {
        jdbc.sql("""
                        update connection_secret t set key_id = f.key_id, ciphertext = f.ciphertext
                        from connection_secret f where f.id = ? and t.id = ?""")
                .params(from, to).update();
    }

    private String tenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("insert into tenant (id, name) values (?, ?)").params(id, "Hospital " + id).update();
        for (String environment : new String[] {"sandbox", "production"}) {
            jdbc.sql("insert into environment (tenant_id, name) values (?, ?)").params(id, environment).update();
            for (Direction direction : Direction.values()) {
                jdbc.sql("""
                                insert into connection (tenant_id, environment, direction, active, updated_by)
                                values (?, ?, ?, false, 'test')""")
                        .params(id, environment, direction.id()).update();
            }
        }
        return id;
    }

    private static Context context(Connection connection) {
        return new Context() {
            @Override
            public Configuration getConfiguration() {
                return null;
            }

            @Override
            public Connection getConnection() {
                return connection;
            }
        };
    }
}
