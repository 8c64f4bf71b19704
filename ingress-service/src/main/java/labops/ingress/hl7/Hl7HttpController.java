package labops.ingress.hl7;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import labops.ingress.raw.RawMessage;
import labops.ingress.intake.MessageBodyFilter;
import labops.ingress.intake.RawIntake;
import labops.ingress.intake.SignedPushes;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.schemas.Hl7MessageTypes;
import labops.schemas.topic.Topics;
import labops.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * HL7 v2 over HTTP: {@code POST /hl7/{tenant}/{environment}} with an ER7 message and a bearer token of that tenant
 * and environment with {@code orders.write}. Same rules as MLLP (AA only once Kafka has the message); the ACK is the
 * response body. Where the tenant requires signed pushes, the Standard Webhooks headers must verify first.
 */
@RestController
class Hl7HttpController {

    static final MediaType HL7 = MediaType.parseMediaType("application/hl7-v2");

    private final Hl7Receiver receiver;
    private final RawIntake rawIntake;
    private final SignedPushes signatures;

    Hl7HttpController(Hl7Receiver receiver, RawIntake rawIntake, SignedPushes signatures) {
        this.receiver = receiver;
        this.rawIntake = rawIntake;
        this.signatures = signatures;
    }

    @PostMapping(path = "/hl7/{tenantId}/{environment}",
            consumes = {"application/hl7-v2", "x-application/hl7-v2+er7", "text/plain"},
            produces = {"application/hl7-v2", "application/problem+json"})
    @RequiresScope(Scopes.ORDERS_WRITE)
    CompletableFuture<ResponseEntity<?>> receive(Caller caller, @PathVariable String tenantId,
                                                 @PathVariable String environment, @RequestBody byte[] body,
                                                 HttpServletRequest request) {
        var intake = new Intake(tenantId, environment, Hl7MessageTypes.ORDERS,
                Hl7MessageTypes.ACCEPTED.get(Hl7MessageTypes.ORDERS), Hl7Receiver.HTTP_CHANNEL,
                caller.subject(), new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort()));
        if (request.getAttribute(MessageBodyFilter.TOO_LARGE) instanceof Integer limit) {
            return receiver.receiveOversize(body, limit, intake)
                    .thenApply(answer -> ResponseEntity.status(status(answer.verdict())).contentType(HL7).body(answer.ack()));
        }
        var signature = signatures.check(tenantId, environment, body, request::getHeader);
        if (signature.unavailable() != null) {
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, signature.unavailable());
        }
        String unsigned = signature.refusal();
        if (unsigned != null) {
            // Kept for ops like every refusal; the sender learns why at the HTTP level, before any HL7 is read.
            UUID messageId = Hl7Receiver.messageId();
            var kept = new RawMessage(messageId, tenantId, environment, Hl7Receiver.HTTP_CHANNEL,
                    Hl7Receiver.CONTENT_TYPE, Instant.now(), messageId.toString(),
                    request.getRemoteAddr() + ":" + request.getRemotePort(), caller.subject(), body);
            return rawIntake.refuse(kept, Topics.RAW_HL7V2, unsigned)
                    .handle((stored, failure) -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                            .body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, unsigned)));
        }
        var answered = receiver.receive(body, intake, ForkJoinPool.commonPool());
        if (signature.webhookId() != null) {
            // Off the thread that completed the store (possibly Kafka's): remembering is a database write.
            answered = answered.thenApplyAsync(answer -> {
                if (answer.verdict() == Hl7Answer.Verdict.ACCEPTED) {
                    signatures.stored(signature);
                }
                return answer;
            }, ForkJoinPool.commonPool());
        }
        return answered.thenApply(answer -> ResponseEntity.status(status(answer.verdict())).contentType(HL7)
                .body(answer.ack()));
    }

    /**
     * The HTTP status says what the ACK says, so a client that reads only the status never takes a refusal for
     * success: 200 accepted (AA/CA), 400 bad content (AE/CE), 403 not allowed now (suspended, production not live),
     * 422 a message this endpoint does not take, 413 larger than the limit, 503 nothing stored and to be resent later. A
     * batch takes the worst.
     */
    static HttpStatus status(Hl7Answer.Verdict verdict) {
        return switch (verdict) {
            case ACCEPTED -> HttpStatus.OK;
            case BAD_CONTENT -> HttpStatus.BAD_REQUEST;
            case NOT_ALLOWED -> HttpStatus.FORBIDDEN;
            case NOT_ACCEPTED -> HttpStatus.UNPROCESSABLE_ENTITY;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case RETRY_LATER -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }
}
