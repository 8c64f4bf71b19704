package labops.tenant.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import labops.platform.audit.AuditPublisher;
import labops.schemas.topic.Topics;
import labops.tenant.TenantServiceTest;
import labops.tenant.user.UserRepository;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The lock's arithmetic on a clock the test moves, with the real audit publisher and user look-up. */
class SignInThrottleTest extends TenantServiceTest {

    @Autowired
    AuditPublisher audit;
    @Autowired
    UserRepository users;

    private final MutableClock clock = new MutableClock();

    @Test
    void anAccountIsLockedAfterFiveFailuresForADoublingTimeUpToTheCapAndASuccessEndsItsCount() {
        var throttle = throttle();
        String account = "nobody-" + System.nanoTime();
        for (int i = 0; i < 4; i++) {
            throttle.failed(account, "203.0.113.7");
        }
        assertThat(throttle.lockedFor(account, "198.51.100.1")).isEmpty();
        throttle.failed(account, "203.0.113.7");
        assertThat(throttle.lockedFor(account, "198.51.100.1")).hasValue(Duration.ofSeconds(5));
        throttle.failed(account, "203.0.113.7");
        assertThat(throttle.lockedFor(account, "198.51.100.1")).hasValue(Duration.ofSeconds(10));
        for (int i = 0; i < 20; i++) {
            throttle.failed(account, "203.0.113.7");
        }
        assertThat(throttle.lockedFor(account, "198.51.100.1")).hasValue(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.lockedFor(account, "198.51.100.1")).isEmpty();

        throttle.succeeded(account);
        throttle.failed(account, "198.51.100.2");
        assertThat(throttle.lockedFor(account, "198.51.100.3")).as("counting starts again").isEmpty();

        String audited = Eventually.await("the lock audited", Duration.ofSeconds(10), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.AUDIT_DECISIONS)
                        .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .filter(v -> v.contains("account " + account + " locked for 5 s")).findFirst());
        assertThat(audited).contains("auth.throttled").contains(labops.platform.audit.AuditDecision.LAB_OPS);
    }

    @Test
    void anAddressFailingForManyAccountsIsLockedForEveryAccountAndABlankAccountIsNeverLocked() {
        var throttle = throttle();
        for (int i = 0; i < 20; i++) {
            throttle.failed("guess-" + i + "-" + System.nanoTime(), "203.0.113.99");
        }
        assertThat(throttle.lockedFor("someone-else", "203.0.113.99")).hasValue(Duration.ofSeconds(5));
        assertThat(throttle.lockedFor("someone-else", "203.0.113.100")).isEmpty();

        for (int i = 0; i < 50; i++) {
            throttle.failed("", "192.0.2." + i);
        }
        assertThat(throttle.lockedFor("", "192.0.2.200")).isEmpty();
    }

    private SignInThrottle throttle() {
        return new SignInThrottle(new ThrottleProperties(5, 20, Duration.ofSeconds(5), Duration.ofMinutes(15),
                Duration.ofMinutes(15)), audit, users, clock);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
