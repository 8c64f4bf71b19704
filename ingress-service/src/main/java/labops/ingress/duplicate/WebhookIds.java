package labops.ingress.duplicate;

import labops.platform.webhook.StandardWebhooks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ids of signed pushes whose messages were stored, in PostgreSQL so that every ingress instance refuses a replay
 * within {@link StandardWebhooks#TOLERANCE} (beyond it, the timestamp check refuses it). An id counts only once its
 * message is stored: a Standard Webhooks sender retries a 503 under the same id, and that retry must be taken. Two
 * copies of one push racing past the check at once are still one message: the copy check on the message's content
 * answers the second.
 */
@Component
public class WebhookIds {

    private final JdbcTemplate jdbc;

    public WebhookIds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether a push from {@code sender} under {@code id} was stored within the tolerance. */
    public boolean seen(String sender, String id) {
        return !jdbc.queryForList("select 1 from seen_webhook where sender = ? and webhook_id = ? "
                + "and seen_at > now() - make_interval(secs => ?)", sender, id, StandardWebhooks.TOLERANCE.toSeconds())
                .isEmpty();
    }

    /** Remembers that the push's message is stored (the ids older than the tolerance go with {@link DuplicateGuard}'s). */
    public void stored(String sender, String id) {
        jdbc.update("insert into seen_webhook (sender, webhook_id) values (?, ?) "
                + "on conflict (sender, webhook_id) do update set seen_at = now()", sender, id);
    }
}
