package labops.workflow.record;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which order numbers are orders already, whatever channel brought them: ingress asks before an import row may
 * become one, so a file uploaded twice is refused row by row instead of placing every order again.
 */
@RestController
class KnownOrdersController {

    static final int MAX_NUMBERS = 1000;

    record Lookup(List<String> orderNumbers) {
    }

    private final Records records;

    KnownOrdersController(Records records) {
        this.records = records;
    }

    /** The known ones, each with when Lab Ops received it. */
    @PostMapping("/api/tenants/{tenantId}/environments/{environment}/orders/known")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    Map<String, Instant> known(@PathVariable String tenantId, @PathVariable String environment,
                               @RequestBody Lookup lookup) {
        if (lookup.orderNumbers() == null || lookup.orderNumbers().size() > MAX_NUMBERS) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "orderNumbers: at most " + MAX_NUMBERS + " per look-up");
        }
        return records.known(tenantId, environment, lookup.orderNumbers());
    }
}
