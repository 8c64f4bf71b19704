package labops.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed with the
 * base64 part of a {@code whsec_} secret. Several secrets (a rotation overlap) give space-separated signatures.
 */
final class WebhookSignature {

    private static final String PREFIX = "whsec_";

    private WebhookSignature() {
    }

    static String sign(String id, long timestampSeconds, byte[] body, List<String> secrets) {
        return secrets.stream().map(secret -> "v1," + sign(id, timestampSeconds, body, secret))
                .collect(Collectors.joining(" "));
    }

    private static String sign(String id, long timestampSeconds, byte[] body, String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("signing secret must start with " + PREFIX);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
