package labops.ingress.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Validator;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import labops.ingress.IngressProperties;
import labops.ingress.intake.ControlCharacters;
import labops.ingress.intake.MessageBodyFilter;
import labops.ingress.intake.RawIntake;
import labops.ingress.intake.SignedPushes;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawMessage;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.schemas.rest.RestOrders;
import labops.schemas.topic.Topics;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * REST JSON orders: {@code POST /api/orders/{tenant}/{environment}} with {@link RestOrders} and a bearer token of that
 * tenant and environment with {@code orders.write}. Every failing field is named by JSON Pointer in one
 * problem+json answer; each order of a valid request is stored as its own raw message on {@code labops.raw.rest}
 * (the order's JSON as sent) and the answer, 202, gives each its Lab Ops id and where to read what became of it.
 * An {@code Idempotency-Key} makes a repeat safe: the same body gets the first answer, another body 422.
 */
@RestController
class RestOrderController {

    static final String CHANNEL = "rest";
    static final String CONTENT_TYPE = "application/json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
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

    /** What became of one order of the request. */
    record Accepted(String orderNumber, UUID id, boolean duplicate, String status) {
    }

    private final RawIntake intake;
    private final PartitionKeys keys;
    private final IdempotentRequests requests;
    private final Validator validator;
    private final IngressProperties properties;
    private final SignedPushes signatures;

    RestOrderController(RawIntake intake, PartitionKeys keys, IdempotentRequests requests, Validator validator,
                        IngressProperties properties, SignedPushes signatures) {
        this.signatures = signatures;
        this.intake = intake;
        this.keys = keys;
        this.requests = requests;
        this.validator = validator;
        this.properties = properties;
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
        String sender = request.getRemoteAddr();
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.trim();
        var closed = intake.closed(tenantId, environment);
        if (closed.isPresent()) {
            return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.FORBIDDEN, closed.get(),
                    List.of());
        }
        if (request.getAttribute(MessageBodyFilter.TOO_LARGE) instanceof Integer limit) {
            return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.CONTENT_TOO_LARGE,
                    MessageBodyFilter.overLimit(limit) + ": not stored, and sending it again will not help; send fewer "
                            + "orders per request", List.of());
        }
        var signature = signatures.check(tenantId, environment, body, request::getHeader);
        if (signature.unavailable() != null) {
            return resendLater(signature.unavailable());
        }
        if (signature.refusal() != null) {
            return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.UNAUTHORIZED,
                    signature.refusal(), List.of());
        }
        if (key != null) {
            var seen = requests.begin(tenantId, environment, key, body);
            if (seen instanceof IdempotentRequests.Reused) {
                return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key " + key + " was used before with "
                        + "another body: use a new key for a new request", List.of());
            }
            if (seen instanceof IdempotentRequests.Answered answered) {
                return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(answered.answer());
            }
        }
        JsonNode tree;
        RestOrders orders;
        try {
            tree = JSON.readTree(body);
            var control = ControlCharacters.in(tree);
            if (control.isPresent()) {
                return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.UNPROCESSABLE_ENTITY,
                        "invalid order at " + control.get().pointer(), List.of(Map.of("pointer",
                                control.get().pointer(), "detail", control.get().detail())));
            }
            orders = JSON.treeToValue(tree, RestOrders.class);
        } catch (DatabindException e) {
            String pointer = pointer(e);
            return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid order at " + pointer, List.of(Map.of("pointer", pointer, "detail", "cannot be read as "
                            + expected(e) + " (see the OpenAPI document)")));
        } catch (JacksonException e) {
            // A name, number or nesting past the parser's limits has no location.
            var at = e.getLocation();
            return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.BAD_REQUEST,
                    at == null ? "the body is not JSON Lab Ops reads: a name, number or nesting is past the limits"
                            : "the body is not JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")",
                    List.of());
        }
        var errors = validator.validate(orders).stream()
                .map(v -> Map.of("pointer", OrderPointers.of(v.getPropertyPath()), "detail", v.getMessage()))
                .sorted(Comparator.comparing((Map<String, String> e) -> e.get("pointer")).thenComparing(e -> e.get("detail")))
                .toList();
        if (!errors.isEmpty()) {
            return refuse(raw(tenantId, environment, caller, sender, body, null), HttpStatus.UNPROCESSABLE_ENTITY,
                    errors.size() + " invalid field(s), first " + errors.get(0).get("pointer"), errors);
        }
        var answer = store(caller, tenantId, environment, key, sender, tree.get("orders"), orders);
        if (answer.getStatusCode() == HttpStatus.ACCEPTED) {
            signatures.stored(signature);
        }
        return answer;
    }

    private ResponseEntity<?> store(Caller caller, String tenantId, String environment, String key, String sender,
                                    JsonNode sent, RestOrders orders) {
        var stored = new ArrayList<CompletableFuture<RawIntake.Outcome>>();
        for (int i = 0; i < orders.orders().size(); i++) {
            var order = orders.orders().get(i);
            byte[] payload = JSON.writeValueAsBytes(sent.get(i));
            var message = raw(tenantId, environment, caller, sender, payload, key == null ? null
                    : "rest|" + key + "#" + i);
            // Follows the patient without naming them: a keyed hash of the MRN.
            String partition = keys.of(tenantId, order.patient().mrnSystem() + "|" + order.patient().mrn());
            stored.add(intake.store(message, Topics.RAW_REST, partition, "Idempotency-Key " + key + " order " + i));
        }
        var accepted = new ArrayList<Accepted>();
        for (int i = 0; i < stored.size(); i++) {
            RawIntake.Outcome outcome = RawIntake.await(stored.get(i));
            if (outcome instanceof RawIntake.NotStored notStored) {
                return resendLater("order " + i + " not stored: " + notStored.reason() + "; send the same request "
                        + "again" + (key == null ? " (with an Idempotency-Key, orders already stored are not stored twice)"
                        : ""));
            }
            if (outcome instanceof RawIntake.Conflict conflict) {
                return problem(HttpStatus.UNPROCESSABLE_ENTITY, "order " + i + ": " + conflict.reason(), List.of());
            }
            UUID id = outcome instanceof RawIntake.Duplicate duplicate ? duplicate.original()
                    : ((RawIntake.Stored) outcome).messageId();
            accepted.add(new Accepted(orders.orders().get(i).orderNumber(), id,
                    outcome instanceof RawIntake.Duplicate, properties.messageStatus(tenantId, environment, id)));
        }
        String answer = JSON.writeValueAsString(Map.of("orders", accepted));
        if (key != null) {
            requests.answered(tenantId, environment, key, answer);
        }
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    private RawMessage raw(String tenantId, String environment, Caller caller, String sender, byte[] payload,
                           String idempotencyKey) {
        return new RawMessage(UUID.randomUUID(), tenantId, environment, CHANNEL, CONTENT_TYPE, Instant.now(),
                idempotencyKey, sender, caller.subject(), payload);
    }

    /** 503 with {@code Retry-After}: nothing was stored, the same request may simply be sent again. */
    private static ResponseEntity<?> resendLater(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
    }

    /** Kept on the REST dead-letter topic with the reason (in the audit trail), then answered. */
    private ResponseEntity<?> refuse(RawMessage message, HttpStatus status, String reason,
                                     List<Map<String, String>> errors) {
        intake.refuse(message, Topics.RAW_REST, status.value() + " " + reason);
        return problem(status, reason, errors);
    }

    /**
     * What the field should have held, by its type: never Jackson's own message, which quotes the value sent (a
     * birth date is patient data) and names parser internals.
     */
    private static String expected(DatabindException e) {
        Class<?> type = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (type == null) {
            return "the documented type";
        }
        if (type == Instant.class) {
            return "an instant with its offset, e.g. 2026-11-25T08:25:00Z";
        }
        if (type == LocalDate.class) {
            return "a date, e.g. 1970-01-01";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type) || type == Boolean.class) {
            return type == boolean.class || type == Boolean.class ? "true or false" : "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static ResponseEntity<?> problem(HttpStatus status, String detail, List<Map<String, String>> errors) {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Where Jackson failed, as a JSON Pointer. */
    private static String pointer(DatabindException e) {
        var pointer = new StringBuilder();
        for (var reference : e.getPath()) {
            pointer.append('/').append(reference.getPropertyName() != null ? reference.getPropertyName()
                    : Integer.toString(reference.getIndex()));
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }
}
