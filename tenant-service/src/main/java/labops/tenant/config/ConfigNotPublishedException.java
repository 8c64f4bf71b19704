package labops.tenant.config;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Kafka did not take a configuration change: the change is rolled back and the caller may retry. */
public class ConfigNotPublishedException extends ErrorResponseException {

    public ConfigNotPublishedException() {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(), null);
    }

    private static ProblemDetail problem() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the change could not be propagated to the other services (Kafka unavailable) and was not saved; retry");
    }
}
