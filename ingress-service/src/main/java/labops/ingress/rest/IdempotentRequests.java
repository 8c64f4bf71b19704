package labops.ingress.rest;

import java.util.Optional;
import labops.ingress.intake.RawIntake;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code Idempotency-Key} for REST requests, across ingress instances: the first request under a key fixes its body;
 * a repeat with the same body gets the first answer once there is one, a repeat with another body is refused. Keys
 * are remembered for the duplicate window ({@code labops.ingress.duplicate-window}): the duplicate guard's cleaner
 * forgets them with the messages it remembers.
 */
@Repository
class IdempotentRequests {

    /** What a request under a key is. */
    sealed interface Seen {
    }

    /** The first under its key, or a repeat of one that has no answer yet (it failed, or is still being stored). */
    record Fresh() implements Seen {
    }

    /** A repeat of a request answered before: answer the same. */
    record Answered(String answer) implements Seen {
    }

    /** The key was used with another body. */
    record Reused() implements Seen {
    }

    private final JdbcClient jdbc;

    IdempotentRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Seen begin(String tenantId, String environment, String key, byte[] body) {
        String hash = RawIntake.sha256(body);
        jdbc.sql("""
                        insert into rest_request (tenant_id, environment, idempotency_key, body_sha256)
                        values (?, ?, ?, ?) on conflict do nothing""")
                .params(tenantId, environment, key, hash).update();
        record Row(String hash, String answer) {
        }
        Row row = jdbc.sql("""
                        select body_sha256, answer from rest_request
                        where tenant_id = ? and environment = ? and idempotency_key = ?""")
                .params(tenantId, environment, key)
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2))).single();
        if (!row.hash().equals(hash)) {
            return new Reused();
        }
        return Optional.ofNullable(row.answer()).<Seen>map(Answered::new).orElse(new Fresh());
    }

    void answered(String tenantId, String environment, String key, String answer) {
        jdbc.sql("""
                        update rest_request set answer = ?
                        where tenant_id = ? and environment = ? and idempotency_key = ? and answer is null""")
                .params(answer, tenantId, environment, key).update();
    }

}
