package labops.tenant.credential;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A hospital API client of one tenant environment. The secret is never here: only its bcrypt hashes are stored.
 *
 * @param secrets the secrets valid now (two during a rotation overlap), as creation and expiry times
 */
public record ApiCredential(UUID id, String tenantId, String environment, String clientId, String name,
                            List<String> scopes, Instant createdAt, String createdBy, Instant revokedAt,
                            String revokedBy, List<SecretPeriod> secrets) {

    public record SecretPeriod(Instant createdAt, String createdBy, Instant expiresAt) {
    }

    public boolean active() {
        return revokedAt == null;
    }
}
