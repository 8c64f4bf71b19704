package labops.tenant.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.tenant.user.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins and client authentications per account and per source address, and locks either for a
 * growing time once it has failed too often: the first lock is short, each further failure doubles it up to the cap.
 * A lock's start is audited (in the account's tenant, else Lab Ops' own chain). The counts live in this instance's
 * memory: with two instances an attacker gets at most twice the tries, which the locks still bound.
 */
@Component
class SignInThrottle {

    private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

    private record Failures(int count, Instant lockedUntil) {
    }

    private final ThrottleProperties properties;
    private final AuditPublisher audit;
    private final UserRepository users;
    private final Clock clock;
    private final Cache<String, Failures> failures;

    @Autowired
    SignInThrottle(ThrottleProperties properties, AuditPublisher audit, UserRepository users) {
        this(properties, audit, users, Clock.systemUTC());
    }

    SignInThrottle(ThrottleProperties properties, AuditPublisher audit, UserRepository users, Clock clock) {
        this.properties = properties;
        this.audit = audit;
        this.users = users;
        this.clock = clock;
        // Bounded, so a flood of made-up user names cannot grow the heap.
        this.failures = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(properties.window().plus(properties.longestLock())).build();
    }

    /** How long {@code account} or {@code address} is still locked for, if either is; a blank account is never. */
    Optional<Duration> lockedFor(String account, String address) {
        Instant now = clock.instant();
        Instant until = later(account.isEmpty() ? null : lockedUntil("account:" + account),
                lockedUntil("address:" + address));
        return until != null && until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** One more failure of {@code account} (blank: one that is never locked) from {@code address}. */
    void failed(String account, String address) {
        if (!account.isEmpty()) {
            count("account:" + account, properties.accountFailures(), "account " + account, account);
        }
        count("address:" + address, properties.addressFailures(), "address " + address, account);
    }

    /** A right password ends the account's count; the address keeps its own. */
    void succeeded(String account) {
        failures.invalidate("account:" + account);
    }

    private void count(String key, int allowed, String what, String account) {
        Instant now = clock.instant();
        Failures next = failures.asMap().compute(key, (k, before) -> {
            int count = before == null ? 1 : before.count() + 1;
            Instant until = null;
            if (count >= allowed) {
                long doublings = Math.min(count - allowed, 20);
                Duration lock = properties.firstLock().multipliedBy(1L << doublings);
                until = now.plus(lock.compareTo(properties.longestLock()) > 0 ? properties.longestLock() : lock);
            }
            return new Failures(count, until);
        });
        if (next.lockedUntil() != null) {
            Duration lock = Duration.between(now, next.lockedUntil());
            log.warn("event=sign-in-throttled subject=\"{}\" failures={} lockedForSeconds={}", what, next.count(),
                    lock.toSeconds());
            audit.publish(new AuditDecision("auth.throttled", AuditDecision.FAILURE, tenantOf(account), null, null,
                    null, what + " locked for " + lock.toSeconds() + " s after " + next.count() + " failed attempts",
                    audit.actor(), now));
        }
    }

    private String tenantOf(String account) {
        return users.find(account).map(u -> u.tenantId()).filter(t -> t != null).orElse(AuditDecision.LAB_OPS);
    }

    private Instant lockedUntil(String key) {
        Failures current = failures.getIfPresent(key);
        return current == null ? null : current.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
