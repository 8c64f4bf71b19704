package labops.tenant.release;

import java.util.regex.Pattern;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.platform.tenant.TenantConfiguration.ReleasePolicy;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import labops.tenant.config.Changes;
import labops.tenant.tenant.TenantRepository;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's result release policy: read and changed by its admins (and Lab Ops admins), published on
 * {@code labops.tenant.config} with the rest of its configuration, where workflow reads it.
 */
@RestController
class ReleasePolicyController {

    private static final Pattern TEST_CODE = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final int MAX_TESTS = 200;

    private final ReleasePolicies policies;
    private final TenantRepository tenants;
    private final Changes changes;

    ReleasePolicyController(ReleasePolicies policies, TenantRepository tenants, Changes changes) {
        this.policies = policies;
        this.tenants = tenants;
        this.changes = changes;
    }

    @GetMapping("/api/tenants/{tenantId}/release-policy")
    @RequiresScope(Scopes.TENANT_ADMIN)
    ReleasePolicy policy(@PathVariable String tenantId) {
        known(tenantId);
        return policies.find(tenantId);
    }

    @PutMapping("/api/tenants/{tenantId}/release-policy")
    @RequiresScope(Scopes.TENANT_ADMIN)
    ReleasePolicy change(Caller caller, @PathVariable String tenantId, @RequestBody PolicyRequest request) {
        known(tenantId);
        var policy = request.policy();
        if (policy.reviewTests().size() > MAX_TESTS) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "reviewTests: at most " + MAX_TESTS + " test codes");
        }
        for (int i = 0; i < policy.reviewTests().size(); i++) {
            String code = policy.reviewTests().get(i);
            if (code == null || !TEST_CODE.matcher(code).matches()) {
                throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "reviewTests/" + i
                        + ": a test code of 1 to 40 letters, digits or . _ -");
            }
        }
        var cleaned = new ReleasePolicy(policy.reviewAll(), policy.reviewTests().stream().distinct().toList(),
                policy.releasePreliminary());
        return changes.apply(caller.subject(), tenantId, null, "release-policy.changed", () -> {
            policies.save(tenantId, cleaned, caller.subject());
            return cleaned;
        }, saved -> "review all: " + saved.reviewAll() + ", review tests: " + saved.reviewTests().size()
                + ", preliminary released: " + saved.releasePreliminary());
    }

    /** A policy as a tenant admin sends it: what is left out is the default (no review, no preliminaries). */
    record PolicyRequest(Boolean reviewAll, java.util.List<String> reviewTests, Boolean releasePreliminary) {

        ReleasePolicy policy() {
            return new ReleasePolicy(Boolean.TRUE.equals(reviewAll), reviewTests, Boolean.TRUE.equals(releasePreliminary));
        }
    }

    private void known(String tenantId) {
        if (tenants.find(tenantId).isEmpty()) {
            throw Problems.of(HttpStatus.NOT_FOUND, "no such tenant");
        }
    }
}
