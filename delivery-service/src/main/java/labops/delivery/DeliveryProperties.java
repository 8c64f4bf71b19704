package labops.delivery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param webhookTimeout   connect and response timeout of one webhook call
 * @param retry            back-off between attempts (the retry topics)
 */
@ConfigurationProperties("labops.delivery")
public record DeliveryProperties(
        @DefaultValue("10s") Duration webhookTimeout,
        @DefaultValue Retry retry) {

    /**
     * @param firstDelay pause before the second attempt
     * @param multiplier growth of each later pause
     */
    public record Retry(@DefaultValue("5s") Duration firstDelay, @DefaultValue("3.0") double multiplier) {
    }
}
