package labops.ingress.rest;

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
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST JSON intake both formats share (orders, results): a closed tenant environment, an oversized body, a bad
 * signature, a reused Idempotency-Key, bytes that are not JSON, control characters and every invalid field (by JSON
 * Pointer, in one problem+json answer) are refused and kept on the REST dead-letter topic with the reason; a valid
 * request has each item stored as its own raw message on {@code labops.raw.rest} (the item's JSON as sent, its
 * format in the content type) before the 202 gives each its Lab Ops id and status URL. A repeat with the same
 * Idempotency-Key gets the first answer.
 */
@Component
class RestSubmissions {

    static final String CHANNEL = "rest";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What became of one item of the request. */
    record Accepted(String orderNumber, UUID id, boolean duplicate, String status) {
    }

    private final RawIntake intake;
    private final PartitionKeys keys;
    private final IdempotentRequests requests;
    private final Validator validator;
    private final IngressProperties properties;
    private final SignedPushes signatures;

    RestSubmissions(RawIntake intake, PartitionKeys keys, IdempotentRequests requests, Validator validator,
                    IngressProperties properties, SignedPushes signatures) {
        this.signatures = signatures;
        this.intake = intake;
        this.keys = keys;
        this.requests = requests;
        this.validator = validator;
        this.properties = properties;
    }

    /**
     * Answers one request of {@code format}: refused (kept on the REST dead-letter topic with the reason), or every
     * item stored as its own raw message before the 202.
     */
    <T, I> ResponseEntity<?> submit(RestFormat<T, I> format, Caller caller, String tenantId, String environment,
                                    String idempotencyKey, byte[] body, HttpServletRequest request) {
        String sender = request.getRemoteAddr();
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.trim();
        var closed = intake.closed(tenantId, environment);
        if (closed.isPresent()) {
            return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.FORBIDDEN, closed.get(),
                    List.of());
        }
        if (request.getAttribute(MessageBodyFilter.TOO_LARGE) instanceof Integer limit) {
            return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.CONTENT_TOO_LARGE,
                    MessageBodyFilter.overLimit(limit) + ": not stored, and sending it again will not help; send fewer "
                            + format.plural() + " per request", List.of());
        }
        var signature = signatures.check(tenantId, environment, body, request::getHeader);
        if (signature.unavailable() != null) {
            return resendLater(signature.unavailable());
        }
        if (signature.refusal() != null) {
            return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.UNAUTHORIZED,
                    signature.refusal(), List.of());
        }
        if (key != null) {
            var seen = requests.begin(tenantId, environment, format.idempotencyPrefix() + key, body);
            if (seen instanceof IdempotentRequests.Reused) {
                return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key " + key + " was used before with "
                        + "another body: use a new key for a new request", List.of());
            }
            if (seen instanceof IdempotentRequests.Answered answered) {
                return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(answered.answer());
            }
        }
        JsonNode tree;
        T parsed;
        try {
            tree = JSON.readTree(body);
            var control = ControlCharacters.in(tree);
            if (control.isPresent()) {
                return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.UNPROCESSABLE_ENTITY,
                        "invalid " + format.noun() + " at " + control.get().pointer(), List.of(Map.of("pointer",
                                control.get().pointer(), "detail", control.get().detail())));
            }
            parsed = JSON.treeToValue(tree, format.type());
        } catch (DatabindException e) {
            String pointer = pointer(e);
            return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid " + format.noun() + " at " + pointer, List.of(Map.of("pointer", pointer, "detail", "cannot be read as "
                            + expected(e) + " (see the OpenAPI document)")));
        } catch (JacksonException e) {
            // A name, number or nesting past the parser's limits has no location.
            var at = e.getLocation();
            return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.BAD_REQUEST,
                    at == null ? "the body is not JSON Lab Ops reads: a name, number or nesting is past the limits"
                            : "the body is not JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")",
                    List.of());
        }
        var errors = validator.validate(parsed).stream()
                .map(v -> Map.of("pointer", OrderPointers.of(v.getPropertyPath()), "detail", v.getMessage()))
                .sorted(Comparator.comparing((Map<String, String> e) -> e.get("pointer")).thenComparing(e -> e.get("detail")))
                .toList();
        if (!errors.isEmpty()) {
            return refuse(raw(format, tenantId, environment, caller, sender, body, null), HttpStatus.UNPROCESSABLE_ENTITY,
                    errors.size() + " invalid field(s), first " + errors.get(0).get("pointer"), errors);
        }
        var answer = store(format, caller, tenantId, environment, key, sender, tree.get(format.plural()),
                format.items().apply(parsed));
        if (answer.getStatusCode() == HttpStatus.ACCEPTED) {
            signatures.stored(signature);
        }
        return answer;
    }

    private <T, I> ResponseEntity<?> store(RestFormat<T, I> format, Caller caller, String tenantId,
                                           String environment, String key, String sender, JsonNode sent, List<I> items) {
        var stored = new ArrayList<CompletableFuture<RawIntake.Outcome>>();
        for (int i = 0; i < items.size(); i++) {
            byte[] payload = JSON.writeValueAsBytes(sent.get(i));
            var message = raw(format, tenantId, environment, caller, sender, payload, key == null ? null
                    : "rest|" + format.idempotencyPrefix() + key + "#" + i);
            // Follows the patient without naming them: a keyed hash of the MRN.
            String partition = keys.of(tenantId, format.patient().apply(items.get(i)));
            stored.add(intake.store(message, Topics.RAW_REST, partition,
                    "Idempotency-Key " + key + " " + format.noun() + " " + i));
        }
        var accepted = new ArrayList<Accepted>();
        for (int i = 0; i < stored.size(); i++) {
            RawIntake.Outcome outcome = RawIntake.await(stored.get(i));
            if (outcome instanceof RawIntake.NotStored notStored) {
                return resendLater(format.noun() + " " + i + " not stored: " + notStored.reason() + "; send the same "
                        + "request again" + (key == null ? " (with an Idempotency-Key, " + format.plural()
                        + " already stored are not stored twice)" : ""));
            }
            if (outcome instanceof RawIntake.Conflict conflict) {
                return problem(HttpStatus.UNPROCESSABLE_ENTITY, format.noun() + " " + i + ": " + conflict.reason(),
                        List.of());
            }
            UUID id = outcome instanceof RawIntake.Duplicate duplicate ? duplicate.original()
                    : ((RawIntake.Stored) outcome).messageId();
            accepted.add(new Accepted(format.number().apply(items.get(i)), id,
                    outcome instanceof RawIntake.Duplicate, properties.messageStatus(tenantId, environment, id)));
        }
        String answer = JSON.writeValueAsString(Map.of(format.plural(), accepted));
        if (key != null) {
            requests.answered(tenantId, environment, format.idempotencyPrefix() + key, answer);
        }
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    /** A person's request carries who they are, so the result they entered is never released by them. */
    private static RawMessage raw(RestFormat<?, ?> format, String tenantId, String environment, Caller caller,
                                  String sender, byte[] payload, String idempotencyKey) {
        return new RawMessage(UUID.randomUUID(), tenantId, environment, CHANNEL, format.contentType(), Instant.now(),
                idempotencyKey, sender, caller.subject(), payload, caller.kind() == Caller.Kind.PERSON
                ? Map.of(RawHeaders.ENTERED_BY, caller.subject()) : Map.of());
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
