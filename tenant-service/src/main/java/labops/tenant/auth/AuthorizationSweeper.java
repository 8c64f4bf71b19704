package labops.tenant.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes authorizations whose every token has expired (the framework keeps them for ever): a code lives minutes, a
 * console refresh token hours. Any instance may sweep; the delete is idempotent.
 */
@Component
class AuthorizationSweeper {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationSweeper.class);

    private final JdbcClient jdbc;

    AuthorizationSweeper(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${labops.tenant.auth.sweep-every:10m}", initialDelayString = "1m")
    void sweep() {
        int deleted = jdbc.sql("""
                        delete from oauth2_authorization
                        where greatest(authorization_code_expires_at, access_token_expires_at, refresh_token_expires_at)
                              < now()""")
                .update();
        if (deleted > 0) {
            log.info("event=expired-authorizations-deleted count={}", deleted);
        }
    }
}
