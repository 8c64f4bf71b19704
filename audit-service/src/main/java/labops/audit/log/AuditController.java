package labops.audit.log;

import java.util.List;
import java.util.Map;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController {

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    /** A tenant's entries, optionally for one raw message; oldest first. */
    @GetMapping("/api/tenants/{tenantId}/audit")
    @RequiresScope(Scopes.AUDIT_READ)
    List<AuditEntry> find(@PathVariable String tenantId, @RequestParam(required = false) String messageId) {
        return log.find(tenantId, messageId);
    }

    /**
     * What became of one raw message in one environment: for the sender, with the token it sent the message with
     * ({@code orders.write}), and for ops. 404 until the log has it (it trails Kafka by moments).
     */
    @GetMapping("/api/tenants/{tenantId}/environments/{environment}/messages/{messageId}")
    @RequiresScope({Scopes.ORDERS_WRITE, Scopes.AUDIT_READ})
    MessageFate fate(@PathVariable String tenantId, @PathVariable String environment, @PathVariable String messageId) {
        return MessageFate.of(messageId, log.find(tenantId, messageId).stream()
                        .filter(entry -> environment.equals(entry.environment())).toList())
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "Lab Ops knows no message " + messageId
                        + " in " + environment + " (yet: the log trails intake by moments)"));
    }

    /** Recomputes the tenant's hash chain; says whether it is intact and, if not, the first entry that breaks it. */
    @GetMapping("/api/tenants/{tenantId}/audit/verify")
    @RequiresScope(Scopes.AUDIT_READ)
    Map<String, Object> verify(@PathVariable String tenantId) {
        Long broken = log.firstBrokenEntry(tenantId);
        return broken == null ? Map.of("intact", true) : Map.of("intact", false, "firstBrokenSeq", broken);
    }
}
