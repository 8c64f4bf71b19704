package labops.platform.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The one error shape of every Lab Ops HTTP API: {@code application/problem+json} with a human {@code detail}. */
public final class Problems {

    private Problems() {
    }

    /** An exception Spring MVC answers as problem+json; {@code detail} names fields, never patient data or secrets. */
    public static ErrorResponseException of(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
