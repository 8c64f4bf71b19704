package labops.platform.outbound;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The outbound address policy, in every service, so that no outbound call is made without it. */
@AutoConfiguration
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundConfiguration {

    @Bean
    OutboundAddressPolicy outboundAddressPolicy(OutboundProperties properties) {
        return new OutboundAddressPolicy(properties);
    }
}
