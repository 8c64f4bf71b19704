package labops.tenant.secret;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh random secrets in the shapes Lab Ops hands out. */
public final class SecretGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretGenerator() {
    }

    /** Standard Webhooks signing secret: {@code whsec_} and base64 of 32 random bytes. */
    public static String signingSecret() {
        return "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
    }

    /** An API client secret: 32 random bytes, URL-safe base64. */
    public static String clientSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    /** A client id with a recognisable prefix and 12 random bytes. */
    public static String clientId(String environment) {
        return "lo_" + (environment.equals("production") ? "live" : "test") + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(12)).replace('-', 'x').replace('_', 'y');
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
