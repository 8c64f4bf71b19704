package labops.audit.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The audit chain's MAC: HMAC-SHA256 under a configured key, named by its id in every entry and head so the key can
 * rotate. Entries from before keys existed (no key id) were plain SHA-256 and are checked as such.
 */
@Component
class ChainMac {

    private final Map<String, SecretKeySpec> keys;
    /** A Mac is not thread-safe, and looking one up per entry cost more than the MAC itself: one per thread and key. */
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(java.util.HashMap::new);
    private final String activeKey;

    ChainMac(ChainProperties properties) {
        if (properties.keys() == null || properties.keys().isEmpty()) {
            throw new IllegalStateException("labops.audit.chain.keys is empty: configure at least one base64 key of "
                    + "32 bytes or more (LABOPS_AUDIT_CHAIN_KEYS_K1; the local stack generates one)");
        }
        this.keys = properties.keys().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> key(e.getKey(), e.getValue())));
        this.activeKey = properties.activeKey();
        if (!keys.containsKey(activeKey)) {
            throw new IllegalStateException("labops.audit.chain.active-key names no configured key: " + activeKey);
        }
    }

    String activeKey() {
        return activeKey;
    }

    /** Hex MAC of {@code content} under {@code keyId}; null key id: the SHA-256 of entries from before keys. */
    String mac(String keyId, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            if (keyId == null) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            }
            SecretKeySpec key = keys.get(keyId);
            if (key == null) {
                throw new UnknownKeyException(keyId);
            }
            Mac mac = macs.get().get(keyId);
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                macs.get().put(keyId, mac);
            }
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** An entry or head names a key this instance is not configured with: it cannot be checked, so it fails. */
    static final class UnknownKeyException extends RuntimeException {
        UnknownKeyException(String keyId) {
            super("no audit chain key " + keyId + " is configured");
        }
    }

    private static SecretKeySpec key(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("audit chain key " + id + " is not base64");
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("audit chain key " + id + " must be at least 32 bytes, not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }
}
