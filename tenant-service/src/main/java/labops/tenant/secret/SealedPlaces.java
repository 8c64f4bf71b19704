package labops.tenant.secret;

import java.util.UUID;

/** The places sealed values are kept, one per table: what a value is bound to (see {@link SecretBox}). */
public final class SealedPlaces {

    private SealedPlaces() {
    }

    /** A connection secret opens only in its own row: same id, tenant, environment, direction and kind. */
    public static String connectionSecret(UUID id, String tenantId, String environment, String direction, String kind) {
        return SecretBox.place("connection_secret", id, tenantId, environment, direction, kind);
    }

    /** The token-signing private key opens only in the row of its key id. */
    public static String tokenSigningKey(String kid) {
        return SecretBox.place("token_signing_key", kid);
    }
}
