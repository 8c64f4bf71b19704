package labops.tenant.secret;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys for secrets at rest. No default key: a deployment must bring its own (the local stack and tests generate one).
 *
 * @param keys      key id to base64 of a 32-byte AES key; keep retired keys here while values sealed with them remain
 * @param activeKey id of the key new values are sealed with
 */
@ConfigurationProperties("labops.tenant.encryption")
public record EncryptionProperties(Map<String, String> keys, @DefaultValue("k1") String activeKey) {
}
