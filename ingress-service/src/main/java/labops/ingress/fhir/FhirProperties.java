package labops.ingress.fhir;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param validators     validations that run at once on this instance, each on its own reused InstanceValidator (0: one
 *                       per available processor; validation is CPU-bound, more would only share the same cores)
 * @param validationWait how long a request waits for a free validator before it gets 503 with Retry-After (nothing
 *                       stored, the sender resends)
 */
@ConfigurationProperties("labops.ingress.fhir")
record FhirProperties(@DefaultValue("0") int validators, @DefaultValue("10s") Duration validationWait) {

    int validatorCount() {
        return validators > 0 ? validators : Runtime.getRuntime().availableProcessors();
    }
}
