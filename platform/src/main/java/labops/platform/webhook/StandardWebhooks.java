package labops.platform.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): {@code webhook-signature} is
 * {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} keyed with the base64 part of a {@code whsec_} secret.
 * Several secrets (a rotation overlap) give space-separated signatures. Delivery signs with it; ingress verifies
 * what hospitals push with it.
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    /** Timestamps further than this from now are refused, and ids are remembered this long to refuse replays. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooks() {
    }

    /** The {@code webhook-signature} header value: one {@code v1,} signature per secret. */
    public static String sign(String id, long timestampSeconds, byte[] body, List<String> secrets) {
        return secrets.stream().map(secret -> "v1," + signature(id, timestampSeconds, body, secret))
                .collect(Collectors.joining(" "));
    }

    /** Why a pushed request was refused. */
    public enum Refusal {
        MISSING_HEADERS("webhook-id, webhook-timestamp and webhook-signature headers are required"),
        BAD_TIMESTAMP("webhook-timestamp is not a Unix time in seconds"),
        EXPIRED("webhook-timestamp is more than 5 minutes away from now"),
        BAD_SIGNATURE("no webhook-signature matches a valid signing secret"),
        REPLAYED("this webhook-id was already received");

        private final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * Null when the request is authentic (headers present, timestamp within {@link #TOLERANCE}, a signature matching
     * one of {@code secrets}); otherwise why not. Replays are the receiver's to refuse: it remembers the ids of the
     * pushes it stored for {@link #TOLERANCE}, where every instance of it sees them (beyond that, the timestamp check
     * refuses them).
     */
    public static Refusal verify(String id, String timestamp, String signatures, byte[] body, List<String> secrets,
                                 Instant now) {
        if (id == null || timestamp == null || signatures == null || id.isBlank()) {
            return Refusal.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Refusal.BAD_TIMESTAMP;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Refusal.EXPIRED;
        }
        return matches(id, seconds, body, signatures, secrets) ? null : Refusal.BAD_SIGNATURE;
    }

    private static boolean matches(String id, long seconds, byte[] body, String signatures, List<String> secrets) {
        for (String secret : secrets) {
            byte[] expected = signature(id, seconds, body, secret).getBytes(StandardCharsets.US_ASCII);
            for (String candidate : signatures.trim().split(" +")) {
                if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                        candidate.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String signature(String id, long timestampSeconds, byte[] body, String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("signing secret must start with " + SECRET_PREFIX);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
