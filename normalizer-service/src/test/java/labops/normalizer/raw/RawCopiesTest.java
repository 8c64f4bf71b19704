package labops.normalizer.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.normalizer.NormalizerProperties;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The copy check against the real table, as every normalizer instance shares it. */
class RawCopiesTest {

    private static final byte[] CONTENT = "MSH|^~\\&|EHR|HOSP".getBytes(StandardCharsets.UTF_8);

    private final String schema = "copies_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private JdbcTemplate jdbc;
    private RawCopies copies;

    @BeforeEach
    void start() {
        String url = LabOpsInfrastructure.postgres().jdbcUrl();
        var dataSource = new DriverManagerDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).schemas(schema).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        copies = new RawCopies(jdbc, properties(Duration.ofHours(24)));
    }

    @Test
    void theFirstUnderASendersIdIsTheOriginalAndEveryLaterOneACopyOfIt() {
        var original = sent("sandbox", "EHR|HOSP|CTRL-1");
        var copyInTheSameBatch = sent("sandbox", "EHR|HOSP|CTRL-1");
        var other = sent("sandbox", "EHR|HOSP|CTRL-2");

        assertThat(copies.in(List.of(original, copyInTheSameBatch, other)))
                .isEqualTo(Map.of(1, new RawCopies.Copy(original.messageId())));

        var resend = sent("sandbox", "EHR|HOSP|CTRL-1");
        var otherEnvironment = sent("production", "EHR|HOSP|CTRL-1");
        var otherTenant = RawCopies.Sent.of("tenant-b", "sandbox", "EHR|HOSP|CTRL-1", UUID.randomUUID().toString(),
                CONTENT);
        assertThat(copies.in(List.of(other, resend, otherEnvironment, otherTenant, original)))
                .as("read again, the original finds itself; another id under its sender's id is a copy")
                .isEqualTo(Map.of(1, new RawCopies.Copy(original.messageId())));
    }

    @Test
    void theSameSendersIdWithOtherContentIsAConflictNotACopy() {
        var original = sent("sandbox", "EHR|HOSP|CTRL-9");
        var otherInTheSameBatch = RawCopies.Sent.of("tenant-a", "sandbox", "EHR|HOSP|CTRL-9",
                UUID.randomUUID().toString(), "MSH|^~\\&|other content".getBytes(StandardCharsets.UTF_8));
        var copy = sent("sandbox", "EHR|HOSP|CTRL-9");

        assertThat(copies.in(List.of(original, otherInTheSameBatch, copy))).isEqualTo(Map.of(
                1, new RawCopies.Conflict(original.messageId()), 2, new RawCopies.Copy(original.messageId())));
        var otherLater = RawCopies.Sent.of("tenant-a", "sandbox", "EHR|HOSP|CTRL-9", UUID.randomUUID().toString(),
                new byte[] {0});
        assertThat(copies.in(List.of(otherLater))).isEqualTo(Map.of(0, new RawCopies.Conflict(original.messageId())));
    }

    @Test
    void aMessageWithoutASendersIdIsNeverACopy() {
        String id = UUID.randomUUID().toString();
        var ownIdOnly = RawCopies.Sent.of("tenant-a", "sandbox", id, id, CONTENT);
        var noKey = RawCopies.Sent.of("tenant-a", "sandbox", null, UUID.randomUUID().toString(), CONTENT);

        assertThat(copies.in(List.of(ownIdOnly, noKey, noKey, ownIdOnly))).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from raw_original", Integer.class)).isZero();
    }

    @Test
    void afterTheWindowTheNextMessageUnderTheIdIsTakenAsANewOriginal() {
        var old = sent("sandbox", "EHR|HOSP|CTRL-OLD");
        copies.in(List.of(old));
        jdbc.update("update raw_original set first_seen_at = now() - interval '25 hours'");

        var resentNextDay = sent("sandbox", "EHR|HOSP|CTRL-OLD");
        var itsCopy = sent("sandbox", "EHR|HOSP|CTRL-OLD");
        assertThat(copies.in(List.of(resentNextDay))).isEmpty();
        assertThat(copies.in(List.of(itsCopy))).isEqualTo(Map.of(0, new RawCopies.Copy(resentNextDay.messageId())));
    }

    @Test
    void aZeroWindowTurnsTheCheckOff() {
        var off = new RawCopies(jdbc, properties(Duration.ZERO));
        var first = sent("sandbox", "EHR|HOSP|CTRL-OFF");

        assertThat(off.in(List.of(first, sent("sandbox", "EHR|HOSP|CTRL-OFF")))).isEmpty();
    }

    private static RawCopies.Sent sent(String environment, String key) {
        return RawCopies.Sent.of("tenant-a", environment, key, UUID.randomUUID().toString(), CONTENT);
    }

    private static NormalizerProperties properties(Duration window) {
        return new NormalizerProperties(new NormalizerProperties.Retry(Duration.ofMillis(500), 2.0,
                Duration.ofSeconds(5)), Duration.ofSeconds(5), window);
    }
}
