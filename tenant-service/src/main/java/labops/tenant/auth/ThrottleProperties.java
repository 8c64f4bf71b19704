package labops.tenant.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed sign-ins ({@code /login}) and failed client authentications ({@code /oauth2/token}) are slowed down.
 * Each failure costs the issuer a bcrypt comparison, so a locked account or address is refused before any.
 *
 * @param accountFailures failures of one account (a user name or client id) before it is locked
 * @param addressFailures failures from one source address, whatever the account, before it is locked
 * @param firstLock       the first lock; each further failure counted doubles it
 * @param longestLock     the cap on a lock
 * @param window          failures older than this are forgotten
 */
@ConfigurationProperties("labops.tenant.auth.throttle")
public record ThrottleProperties(
        @DefaultValue("5") int accountFailures,
        @DefaultValue("20") int addressFailures,
        @DefaultValue("5s") Duration firstLock,
        @DefaultValue("15m") Duration longestLock,
        @DefaultValue("15m") Duration window) {
}
