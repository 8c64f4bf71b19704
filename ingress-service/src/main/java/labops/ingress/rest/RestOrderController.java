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
import labops.schemas.rest.RestOrders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST JSON orders: {@code POST /api/orders/{tenant}/{environment}} with {@link RestOrders} and a bearer token of that
 * tenant and environment with {@code orders.write}. Every failing field is named by JSON Pointer in one
 * problem+json answer; each order of a valid request is stored as its own raw message on {@code labops.raw.rest}
 * (the order's JSON as sent) and the answer, 202, gives each its Lab Ops id and where to read what became of it.
 * An {@code Idempotency-Key} makes a repeat safe: the same body gets the first answer, another body 422.
 */
@RestController
class RestOrderController {

    static final String CONTENT_TYPE = "application/json";
    static final String EXAMPLE = """
            {"orders": [{
              "orderNumber": "PON-2026-0042", "orderNumberSystem": "https://lis.small-lab.example/orders",
              "priority": "stat", "orderedAt": "2026-11-25T08:25:00Z",
              "orderingProvider": {"id": "1234567893", "system": "http://hl7.org/fhir/sid/us-npi", "family": "House"},
              "tests": [{"code": "2345-7", "system": "http://loinc.org", "display": "Glucose"}],
              "specimen": {"type": "SER"},
              "notes": ["Fasting since midnight"],
              "patient": {"mrn": "MRN-12345", "mrnSystem": "https://lis.small-lab.example/mrn", "family": "Doe",
                          "given": ["Jane"], "birthDate": "1970-01-01", "sex": "female",
                          "address": {"lines": ["1 Main St"], "city": "Springfield", "postalCode": "12345"}},
              "homeCollection": {"windowStart": "2026-11-26T08:00:00Z", "windowEnd": "2026-11-26T12:00:00Z"}
            }]}""";

    static final RestFormat<RestOrders, RestOrders.Order> FORMAT = new RestFormat<>("order", "orders", CONTENT_TYPE,
            RestOrders.class, RestOrders::orders, RestOrders.Order::orderNumber,
            order -> order.patient().mrnSystem() + "|" + order.patient().mrn(), "");

    private final RestSubmissions submissions;

    RestOrderController(RestSubmissions submissions) {
        this.submissions = submissions;
    }

    @PostMapping(path = "/api/orders/{tenantId}/{environment}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @RequiresScope(Scopes.ORDERS_WRITE)
    @Operation(summary = "Submit lab orders", description = "Each order is stored before the answer and gets its "
            + "own Lab Ops id; read what became of it at the status URL in the answer, with the same token.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = RestOrders.class),
                    examples = @ExampleObject(name = "one order", value = EXAMPLE))),
            responses = {
                    @ApiResponse(responseCode = "202", description = "every order stored; ids and status URLs"),
                    @ApiResponse(responseCode = "400", description = "not JSON", content = @Content(
                            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "401", description = "where the connection requires signed pushes: "
                            + "webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks) missing, wrong, "
                            + "more than 5 minutes off, or an id already received", content = @Content(
                            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "422", description = "invalid: every failing field by JSON Pointer in "
                            + "errors[], or an Idempotency-Key reused with another body", content = @Content(
                            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "413", description = "larger than the largest message (10 MB unless "
                            + "configured smaller), decoded size counted: not stored", content = @Content(
                            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "503", description = "not stored: send the same request again")})
    ResponseEntity<?> submit(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                             @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                             @RequestBody byte[] body, HttpServletRequest request) {
        return submissions.submit(FORMAT, caller, tenantId, environment, idempotencyKey, body, request);
    }
}
