package labops.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class TenantApplicationTest extends TenantServiceTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void migratesItsOwnSchema() {
        assertThat(jdbc.sql("select table_schema from information_schema.tables where table_name = 'mllp_endpoint'")
                .query(String.class).list()).containsExactly("tenant");
    }
}
