package labops.normalizer.rest;

import labops.events.SourceFormat;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.schemas.topic.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The REST order format arrives on two raw topics: REST requests and approved CSV import rows. */
@Configuration(proxyBeanMethods = false)
class RestNormalizers {

    @Bean
    RawMessageNormalizer restOrders() {
        return new RestNormalizer(Topics.RAW_REST, SourceFormat.REST);
    }

    @Bean
    RawMessageNormalizer importedRows() {
        return new RestNormalizer(Topics.RAW_CSV, SourceFormat.CSV);
    }
}
