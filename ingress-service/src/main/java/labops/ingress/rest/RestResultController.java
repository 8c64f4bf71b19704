package labops.ingress.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.schemas.rest.RestResults;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST JSON results: {@code POST /api/results/{tenant}/{environment}} with {@link RestResults} and a token of that
 * tenant (and environment, for an API client) with {@code results.write}: a small lab's system, or a person entering
 * results on the result-review page, whose username goes with the results so they cannot release them. Answered and
 * stored exactly as orders are ({@link RestSubmissions}); the normalizer makes each a {@code LabResultEvent}.
 */
@RestController
class RestResultController {

    static final String EXAMPLE = """
            {"results": [{
              "orderNumber": "PON-2026-0042", "orderNumberSystem": "https://lis.small-lab.example/orders",
              "status": "final", "issuedAt": "2026-11-25T11:30:00Z",
              "patient": {"mrn": "MRN-12345", "mrnSystem": "https://lis.small-lab.example/mrn"},
              "observations": [{"code": "2345-7", "system": "http://loinc.org", "display": "Glucose", "value": "182",
                                "unit": "mg/dL", "referenceRange": "70-99", "interpretation": "high",
                                "observedAt": "2026-11-25T11:05:00Z"}]
            }]}""";

    static final RestFormat<RestResults, RestResults.Result> FORMAT = new RestFormat<>("result", "results",
            RestResults.CONTENT_TYPE, RestResults.class, RestResults::results, RestResults.Result::orderNumber,
            result -> result.patient().mrnSystem() + "|" + result.patient().mrn(), "results|");

    private final RestSubmissions submissions;

    RestResultController(RestSubmissions submissions) {
        this.submissions = submissions;
    }

    @PostMapping(path = "/api/results/{tenantId}/{environment}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @RequiresScope(Scopes.RESULTS_WRITE)
    @Operation(summary = "Submit lab results", description = "Each result is stored before the answer and gets its "
            + "own Lab Ops id; it is released to the hospital under the tenant's release policy. Results a person "
            + "submits carry their username: another person releases them.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = RestResults.class),
                    examples = @ExampleObject(name = "one result", value = EXAMPLE))),
            responses = {
                    @ApiResponse(responseCode = "202", description = "every result stored; ids and status URLs"),
                    @ApiResponse(responseCode = "400", description = "not JSON", content = @Content(
                            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "422", description = "invalid: every failing field by JSON Pointer in "
                            + "errors[], or an Idempotency-Key reused with another body", content = @Content(
                            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "413", description = "larger than the largest message: not stored",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "503", description = "not stored: send the same request again")})
    ResponseEntity<?> submit(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                             @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                             @RequestBody byte[] body, HttpServletRequest request) {
        return submissions.submit(FORMAT, caller, tenantId, environment, idempotencyKey, body, request);
    }
}
