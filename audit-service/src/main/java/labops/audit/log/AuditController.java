package labops.audit.log;

import java.time.Instant;
import java.util.List;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
class AuditController {

    static final int MAX_PAGE = 1_000;

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    /**
     * A tenant's entries, newest first, a page at a time: the {@code Link} header names the next page ({@code
     * rel="next"}, with {@code before} set to the cursor) while there is one. Every filter is optional.
     */
    @GetMapping("/api/tenants/{tenantId}/audit")
    @RequiresScope(Scopes.AUDIT_READ)
    ResponseEntity<List<AuditEntry>> find(@PathVariable String tenantId,
                                          @RequestParam(required = false) String action,
                                          @RequestParam(required = false) String actor,
                                          @RequestParam(required = false) String messageId,
                                          @RequestParam(required = false) Instant from,
                                          @RequestParam(required = false) Instant to,
                                          @RequestParam(required = false) Long before,
                                          @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "limit: must be between 1 and " + MAX_PAGE);
        }
        var page = log.page(tenantId, new AuditLog.Filter(action, actor, messageId, from, to), before, limit);
        var answer = ResponseEntity.ok();
        if (page.next() != null) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("before", page.next())
                    .build().toUriString();
            answer.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return answer.body(page.entries());
    }

    /**
     * What became of one raw message in one environment: for the sender, with the token it sent the message with
     * ({@code orders.write}), and for ops. 404 until the log has it (it trails Kafka by moments).
     */
    @GetMapping("/api/tenants/{tenantId}/environments/{environment}/messages/{messageId}")
    @RequiresScope({Scopes.ORDERS_WRITE, Scopes.AUDIT_READ})
    MessageFate fate(@PathVariable String tenantId, @PathVariable String environment, @PathVariable String messageId) {
        return MessageFate.of(messageId, log.ofMessage(tenantId, messageId).stream()
                        .filter(entry -> environment.equals(entry.environment())).toList())
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "Lab Ops knows no message " + messageId
                        + " in " + environment + " (yet: the log trails intake by moments)"));
    }

    /**
     * Recomputes the tenant's chain and holds it against its signed head: whether it is intact and, if not, the
     * first entry that breaks it or the first one missing, in words.
     */
    @GetMapping("/api/tenants/{tenantId}/audit/verify")
    @RequiresScope(Scopes.AUDIT_READ)
    AuditLog.Verification verify(@PathVariable String tenantId) {
        return log.verify(tenantId);
    }
}
