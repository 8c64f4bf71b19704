package labops.ingress.duplicate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import labops.ingress.IngressProperties;
import labops.testsupport.Eventually;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The guard against the real table, as two ingress instances share it: claims, stores, releases, take-overs. */
class DuplicateGuardTest {

    private final String schema = "guard_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private JdbcClient jdbc;
    private DuplicateGuard guard;
    private DuplicateGuard otherInstance;

    @BeforeEach
    void start() {
        String url = LabOpsInfrastructure.postgres().jdbcUrl();
        var dataSource = new DriverManagerDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).schemas(schema).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        var properties = new IngressProperties(new IngressProperties.Tls(null, null), 8, null,
                Duration.ofMinutes(30), 32, Duration.ofHours(24), "http://127.0.0.1:8105",
                org.springframework.util.unit.DataSize.ofMegabytes(20), "", "",
                org.springframework.util.unit.DataSize.ofMegabytes(128), 16, Duration.ofSeconds(10),
                org.springframework.util.unit.DataSize.ofMegabytes(256), 1000);
        guard = new DuplicateGuard(new JdbcTemplate(dataSource), properties);
        otherInstance = new DuplicateGuard(new JdbcTemplate(dataSource), properties);
        guard.start();
        otherInstance.start();
    }

    @AfterEach
    void stop() {
        guard.stop();
        otherInstance.stop();
    }

    @Test
    void aCopyIsInProgressWhileTheFirstIsStoredAndADuplicateOnceItIs() {
        var first = key("EHR|HOSP|CTRL-1");
        var copy = key("EHR|HOSP|CTRL-1");

        assertThat(guard.claim(first).join()).isInstanceOf(DuplicateGuard.Fresh.class);
        assertThat(otherInstance.claim(copy).join()).isInstanceOf(DuplicateGuard.InProgress.class);
        guard.stored(first);
        awaitState(first, "stored");

        assertThat(otherInstance.claim(copy).join()).isEqualTo(new DuplicateGuard.Duplicate(first.messageId()));
        assertThat(guard.claim(key("EHR|HOSP|CTRL-2")).join()).as("another control id")
                .isInstanceOf(DuplicateGuard.Fresh.class);
        assertThat(guard.claim(new DuplicateGuard.Key("other-tenant", "sandbox", "EHR|HOSP|CTRL-1",
                UUID.randomUUID(), "same")).join()).as("another tenant").isInstanceOf(DuplicateGuard.Fresh.class);
    }

    @Test
    void theSameIdWithOtherContentIsAConflictWhetherTheFirstIsStoredOrNot() {
        var first = key("EHR|HOSP|CTRL-6");
        assertThat(guard.claim(first).join()).isInstanceOf(DuplicateGuard.Fresh.class);
        var other = new DuplicateGuard.Key("tenant-a", "sandbox", "EHR|HOSP|CTRL-6", UUID.randomUUID(), "other");

        assertThat(otherInstance.claim(other).join()).as("while the first is being stored")
                .isEqualTo(new DuplicateGuard.Conflict(first.messageId()));
        guard.stored(first);
        awaitState(first, "stored");
        assertThat(otherInstance.claim(other).join()).as("once it is stored")
                .isEqualTo(new DuplicateGuard.Conflict(first.messageId()));
        assertThat(otherInstance.claim(key("EHR|HOSP|CTRL-6")).join()).as("the same content")
                .isEqualTo(new DuplicateGuard.Duplicate(first.messageId()));
    }

    @Test
    void aMessageKafkaRefusedIsTakenAgainWhenResent() {
        var first = key("EHR|HOSP|CTRL-3");
        assertThat(guard.claim(first).join()).isInstanceOf(DuplicateGuard.Fresh.class);

        guard.release(first);
        awaitState(first, "none");

        assertThat(otherInstance.claim(key("EHR|HOSP|CTRL-3")).join()).isInstanceOf(DuplicateGuard.Fresh.class);
    }

    @Test
    void aClaimAbandonedByADeadInstanceIsTakenOverAndAnExpiredOneIsFresh() {
        var abandoned = key("EHR|HOSP|CTRL-4");
        var expired = key("EHR|HOSP|CTRL-5");
        guard.claim(abandoned).join();
        guard.claim(expired).join();
        guard.stored(expired);
        awaitState(expired, "stored");
        jdbc.sql("update seen_message set claimed_at = now() - interval '1 minute' where idempotency_key = ?")
                .param(abandoned.idempotencyKey()).update();
        jdbc.sql("update seen_message set claimed_at = now() - interval '25 hours' where idempotency_key = ?")
                .param(expired.idempotencyKey()).update();

        assertThat(otherInstance.claim(key("EHR|HOSP|CTRL-4")).join()).isInstanceOf(DuplicateGuard.Fresh.class);
        assertThat(otherInstance.claim(key("EHR|HOSP|CTRL-5")).join()).isInstanceOf(DuplicateGuard.Fresh.class);
    }

    /** Marks and releases are applied by their own writer thread, after the call returns. */
    private void awaitState(DuplicateGuard.Key key, String state) {
        Eventually.await(key.idempotencyKey() + " " + state, Duration.ofSeconds(10), () -> jdbc.sql(
                        "select coalesce((select state from seen_message where idempotency_key = ?), 'none')")
                .param(key.idempotencyKey()).query(String.class).single().equals(state) ? Optional.of(true)
                : Optional.empty());
    }

    private static DuplicateGuard.Key key(String idempotencyKey) {
        return new DuplicateGuard.Key("tenant-a", "sandbox", idempotencyKey, UUID.randomUUID(), "same");
    }
}
