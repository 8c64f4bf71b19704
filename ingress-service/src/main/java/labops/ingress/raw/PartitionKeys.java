package labops.ingress.raw;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import labops.ingress.IngressProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Kafka keys that keep one patient's messages in order without naming the patient: {@code tenant|HMAC(patient id)}
 * with a key every ingress instance shares ({@code labops.ingress.partition-key-secret}). Without one configured, a
 * random key is used and ordering holds per instance only (said once in the log).
 */
@Component
public class PartitionKeys {

    private static final Logger log = LoggerFactory.getLogger(PartitionKeys.class);

    private final ThreadLocal<Mac> macs;

    public PartitionKeys(IngressProperties properties) {
        byte[] key;
        if (properties.partitionKeySecret() == null || properties.partitionKeySecret().isBlank()) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            log.warn("event=partition-key-secret-missing effect=per-patient-ordering-holds-per-instance-only");
        } else {
            key = Base64.getDecoder().decode(properties.partitionKeySecret().trim());
        }
        var spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 unavailable", e);
            }
        });
    }

    /** The key for a message about {@code subject} (a patient identifier) in {@code tenantId}. */
    public String of(String tenantId, String subject) {
        byte[] digest = macs.get().doFinal((tenantId + '|' + subject).getBytes(StandardCharsets.UTF_8));
        return tenantId + '|' + HexFormat.of().formatHex(digest, 0, 16);
    }
}
