package labops.normalizer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param retry back-off for transient failures before a message is dead-lettered */
@ConfigurationProperties("labops.normalizer")
public record NormalizerProperties(@DefaultValue Retry retry) {

    /**
     * @param initialInterval first pause
     * @param multiplier      growth of each next pause
     * @param maxInterval     longest pause
     * @param maxAttempts     attempts in all, the first included
     */
    public record Retry(@DefaultValue("500ms") Duration initialInterval, @DefaultValue("2.0") double multiplier,
                        @DefaultValue("5s") Duration maxInterval, @DefaultValue("4") int maxAttempts) {
    }
}
