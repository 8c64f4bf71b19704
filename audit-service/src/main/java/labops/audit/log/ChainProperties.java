package labops.audit.log;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit chain's keys.
 *
 * @param keys      key id to base64 of at least 32 random bytes; keep a retired key here while entries chained with
 *                  it remain. No default: the local stack and the tests generate one
 * @param activeKey the id of the key new entries are chained with
 * @param headEvery how often each tenant's chain head (count, last hash) is signed and published when it moved;
 *                  deleting entries appended since the last head is the one thing verify cannot see
 */
@ConfigurationProperties("labops.audit.chain")
public record ChainProperties(Map<String, String> keys, @DefaultValue("k1") String activeKey,
                              @DefaultValue("10s") Duration headEvery) {
}
