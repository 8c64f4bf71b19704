package labops.normalizer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retry           back-off before a rolled-back batch is read again
 * @param profileCacheTtl how long a tenant's mapping profile is used from memory: a newly saved version applies on
 *                        every normalizer instance within this time
 * @param duplicateWindow how long the first message under a sender's id (MSH-3|MSH-4|MSH-10, an Idempotency-Key) is
 *                        remembered: another message under that id within it is a copy, not normalized again (0 turns
 *                        the check off); match {@code labops.ingress.duplicate-window}
 */
@ConfigurationProperties("labops.normalizer")
public record NormalizerProperties(@DefaultValue Retry retry, @DefaultValue("5s") Duration profileCacheTtl,
                                   @DefaultValue("24h") Duration duplicateWindow) {

    /**
     * @param initialInterval first pause
     * @param multiplier      growth of each next pause
     * @param maxInterval     longest pause; retries go on at this interval until the failure passes
     */
    public record Retry(@DefaultValue("500ms") Duration initialInterval, @DefaultValue("2.0") double multiplier,
                        @DefaultValue("5s") Duration maxInterval) {
    }
}
