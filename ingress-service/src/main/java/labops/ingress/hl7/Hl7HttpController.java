package labops.ingress.hl7;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import labops.ingress.endpoint.IntakePolicy;
import labops.ingress.raw.RawMessage;
import labops.ingress.raw.RawPublisher;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.platform.tenant.SigningSecretVault;
import labops.platform.webhook.StandardWebhooks;
import labops.schemas.Hl7MessageTypes;
import labops.schemas.topic.Topics;
import labops.platform.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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

    private static final Logger log = LoggerFactory.getLogger(Hl7HttpController.class);
    static final MediaType HL7 = MediaType.parseMediaType("application/hl7-v2");

    private final Hl7Receiver receiver;
    private final IntakePolicy policy;
    private final RawPublisher publisher;
    private final ObjectProvider<SigningSecretVault> vault;
    private final StandardWebhooks.Verifier verifier = new StandardWebhooks.Verifier();

    Hl7HttpController(Hl7Receiver receiver, IntakePolicy policy, RawPublisher publisher,
                      ObjectProvider<SigningSecretVault> vault) {
        this.receiver = receiver;
        this.policy = policy;
        this.publisher = publisher;
        this.vault = vault;
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
        String unsigned = signatureRefusal(tenantId, environment, body, request);
        if (unsigned != null) {
            // Kept for ops like every refusal; the sender learns why at the HTTP level, before any HL7 is read.
            var kept = new RawMessage(UUID.randomUUID(), tenantId, environment, Hl7Receiver.HTTP_CHANNEL,
                    Hl7Receiver.CONTENT_TYPE, Instant.now(), UUID.randomUUID().toString(),
                    request.getRemoteAddr() + ":" + request.getRemotePort(), caller.subject(), body);
            return publisher.reject(Topics.RAW_HL7V2, tenantId + "|" + kept.messageId(), kept, unsigned)
                    .handle((stored, failure) -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                            .body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, unsigned)));
        }
        return receiver.receive(body, intake, ForkJoinPool.commonPool())
                .thenApply(ack -> ResponseEntity.status(status(ack)).contentType(HL7).body(ack));
    }

    /**
     * The HTTP status says what the ACK says, so a client that reads only the status never takes a refusal for
     * success: 200 when every message was accepted (AA/CA), 400 for bad content (AE/CE), 422 for a message this
     * endpoint does not take (AR/CR, unsupported type), 503 for anything not stored that may be resent later (Kafka or
     * the duplicate table unreachable: the reason says "resend later"), 403 for what the tenant may not send now
     * (suspended, production not live). A batch takes the worst of its messages' statuses.
     */
    static HttpStatus status(byte[] ack) {
        HttpStatus worst = HttpStatus.OK;
        for (String message : new String(ack, StandardCharsets.ISO_8859_1).split("(?=MSH)")) {
            HttpStatus status = messageStatus(message);
            if (status.value() > worst.value()) {
                worst = status;
            }
        }
        return worst;
    }

    private static HttpStatus messageStatus(String ack) {
        int msa = ack.indexOf("\rMSA");
        if (msa < 0 || ack.length() < msa + 7) {
            return HttpStatus.OK;
        }
        String code = ack.substring(msa + 5, msa + 7);
        if (code.equals("AA") || code.equals("CA")) {
            return HttpStatus.OK;
        }
        if (code.equals("AE") || code.equals("CE")) {
            return HttpStatus.BAD_REQUEST;
        }
        if (ack.contains("resend later")) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return ack.contains("|200^") ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.FORBIDDEN;
    }

    /** Null when no signature is required or it verifies; otherwise the reason. */
    private String signatureRefusal(String tenantId, String environment, byte[] body, HttpServletRequest request) {
        var receive = policy.receiveOrders(tenantId, environment);
        if (receive.isEmpty() || !receive.get().signatureRequired()) {
            return null;
        }
        SigningSecretVault secrets = vault.getIfAvailable();
        if (secrets == null) {
            return "this endpoint requires signed requests, and this Lab Ops instance cannot verify signatures";
        }
        List<String> valid;
        try {
            valid = secrets.secrets(tenantId, environment, "receive-orders", receive.get().signingSecretIds());
        } catch (RuntimeException e) {
            log.warn("event=signing-secrets-unavailable tenant={} reason={}", tenantId, e.getClass().getSimpleName());
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "signatures cannot be verified right now; resend later");
        }
        var refusal = verifier.verify(tenantId + "/" + environment, request.getHeader(StandardWebhooks.ID),
                request.getHeader(StandardWebhooks.TIMESTAMP), request.getHeader(StandardWebhooks.SIGNATURE), body,
                valid, Instant.now());
        return refusal == null ? null : refusal.reason();
    }
}
