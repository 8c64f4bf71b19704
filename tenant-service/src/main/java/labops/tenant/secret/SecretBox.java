package labops.tenant.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Encrypts the secret values Lab Ops must use again (signing secrets, hospital credentials, private keys) with
 * AES-256-GCM under the active key from configuration; each value keeps the id of the key that sealed it, so
 * old values stay readable after the active key changes. The additional data binds each value to its key id and its
 * {@linkplain #place place} (table, row, tenant, environment, purpose): whoever can write the table but has no key
 * cannot move a value into another row, another tenant's or another purpose's, and have it open there. Exceptions
 * never carry the value.
 */
@Component
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed value: the key id and base64 of nonce + ciphertext + tag. */
    public record Sealed(String keyId, String ciphertext) {
    }

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;

    SecretBox(EncryptionProperties properties) {
        if (properties.keys() == null || properties.keys().isEmpty()) {
            throw new IllegalStateException("labops.tenant.encryption.keys is empty: configure at least one "
                    + "base64 AES-256 key (the local stack generates one)");
        }
        this.keys = properties.keys().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> key(e.getKey(), e.getValue())));
        this.activeKeyId = properties.activeKey();
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("labops.tenant.encryption.active-key names no configured key: " + activeKeyId);
        }
    }

    /** Where a value is kept, in the words of its row; the same parts must be given to open it. */
    public static String place(String table, Object... identity) {
        var parts = new StringBuilder(table);
        for (Object part : identity) {
            parts.append('\u001f').append(part);
        }
        return parts.toString();
    }

    public Sealed seal(String plaintext, String place) {
        return seal(plaintext, additionalData(activeKeyId, place));
    }

    public String open(Sealed sealed, String place) {
        return open(sealed, additionalData(sealed.keyId(), place));
    }

    /** What values sealed before they were bound to their place were sealed with: the key id only. */
    static byte[] keyIdOnly(String keyId) {
        return keyId.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] additionalData(String keyId, String place) {
        return (keyId + '\u001e' + place).getBytes(StandardCharsets.UTF_8);
    }

    Sealed seal(String plaintext, byte[] additionalData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(additionalData);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new Sealed(activeKeyId, Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    String open(Sealed sealed, byte[] additionalData) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("no encryption key with id " + sealed.keyId() + " is configured");
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(additionalData);
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed secret could not be opened with key " + sealed.keyId()
                    + " where it is kept (" + e.getClass().getSimpleName() + "): altered, or moved from another row");
        }
    }

    /** The first 12 hex digits of the value's SHA-256: tells secrets apart on a page, reveals nothing usable. */
    public static String fingerprint(String plaintext) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(plaintext.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretKey key(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("encryption key " + id + " is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("encryption key " + id + " must be 32 bytes (AES-256), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
