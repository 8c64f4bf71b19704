package labops.audit.log;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/audit")
class AuditController {

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    /** Entries by tenant, by raw message id, or both; oldest first. */
    @GetMapping
    List<AuditEntry> find(@RequestParam(required = false) String tenant, @RequestParam(required = false) String messageId) {
        if (tenant == null && messageId == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "give tenant, messageId or both");
        }
        return log.find(tenant, messageId);
    }

    /** Recomputes the hash chain over the whole log. */
    @GetMapping("/verify")
    Map<String, Object> verify() {
        Long broken = log.firstBrokenEntry();
        return broken == null ? Map.of("intact", true) : Map.of("intact", false, "firstBrokenSeq", broken);
    }
}
