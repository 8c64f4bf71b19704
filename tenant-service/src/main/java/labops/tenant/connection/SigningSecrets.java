package labops.tenant.connection;

import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks signing secrets: {@code whsec_} followed by base64 of 32 random bytes. */
public final class SigningSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningSecrets() {
    }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
