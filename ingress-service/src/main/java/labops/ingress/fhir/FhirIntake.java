package labops.ingress.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import labops.ingress.duplicate.DuplicateGuard;
import labops.ingress.endpoint.IntakePolicy;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawMessage;
import labops.ingress.raw.RawPublisher;
import labops.platform.security.Caller;
import labops.schemas.topic.Topics;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What every FHIR interaction does with what it was sent: validated against base R4 (HAPI's validator) and the lab
 * rules, refused with an OperationOutcome naming the element, or published exactly as received to
 * {@code labops.raw.fhir} and answered only once Kafka has it. A resend under the same {@code Idempotency-Key} (or
 * conditional-create criteria) is recognised across instances and answered with the first copy's id.
 */
@Component
class FhirIntake {

    static final String CHANNEL = "fhir-rest";

    /** What was accepted: Lab Ops' id of the raw message, and whether it was a copy of one accepted before. */
    record Accepted(UUID messageId, boolean duplicate) {
    }

    private final FhirContext fhir;
    private final FhirValidator validator;
    private final IntakePolicy policy;
    private final RawPublisher publisher;
    private final PartitionKeys keys;
    private final DuplicateGuard duplicates;
    private final MeterRegistry meters;

    FhirIntake(FhirContext fhir, FhirValidator validator, IntakePolicy policy, RawPublisher publisher,
               PartitionKeys keys, DuplicateGuard duplicates, MeterRegistry meters) {
        this.fhir = fhir;
        this.validator = validator;
        this.policy = policy;
        this.publisher = publisher;
        this.keys = keys;
        this.duplicates = duplicates;
        this.meters = meters;
    }

    Accepted accept(RequestDetails request, IBaseResource resource, String conditional) {
        var base = TenantAndEnvironment.Base.of(request);
        var message = new RawMessage(UUID.randomUUID(), base.tenantId(), base.environment(), CHANNEL,
                request.getHeader("Content-Type"), Instant.now(), idempotencyKey(request, resource, conditional),
                ((ServletRequestDetails) request).getServletRequest().getRemoteAddr(), Caller.of(SecurityContextHolder.getContext().getAuthentication()).subject(),
                request.loadRequestContents());
        // Follows the patient without naming them: a keyed hash of the first patient identifier sent.
        String subject = patientIdentifier(resource);
        String key = keys.of(base.tenantId(), subject != null ? subject : message.messageId().toString());
        var refusal = policy.refusal(base.tenantId(), base.environment());
        if (refusal.isPresent()) {
            throw refused(message, key, new ForbiddenOperationException(refusal.get()), refusal.get());
        }
        List<SingleValidationMessage> problems = problems(resource);
        if (!problems.isEmpty()) {
            String first = problems.get(0).getLocationString() + ": " + problems.get(0).getMessage();
            throw refused(message, key, new UnprocessableEntityException(fhir, outcome(problems)), first);
        }
        if (message.idempotencyKey() == null) {
            return publish(message, key, null);
        }
        var seen = new DuplicateGuard.Key(base.tenantId(), base.environment(), message.idempotencyKey(),
                message.messageId());
        DuplicateGuard.Claim claim = await(duplicates.claim(seen));
        if (claim instanceof DuplicateGuard.Duplicate duplicate) {
            count(base.environment(), "duplicate");
            return new Accepted(duplicate.original(), true);
        }
        if (claim instanceof DuplicateGuard.InProgress) {
            throw new Unavailable("a copy of this request is being stored right now; resend later");
        }
        return publish(message, key, seen);
    }

    private Accepted publish(RawMessage message, String key, DuplicateGuard.Key seen) {
        try {
            publisher.publish(Topics.RAW_FHIR, key, message).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notStored(message, seen);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw notStored(message, seen);
        }
        if (seen != null) {
            duplicates.stored(seen);
        }
        count(message.environment(), "accepted");
        return new Accepted(message.messageId(), false);
    }

    private Unavailable notStored(RawMessage message, DuplicateGuard.Key seen) {
        if (seen != null) {
            duplicates.release(seen);
        }
        count(message.environment(), "not-stored");
        return new Unavailable("not stored: Lab Ops cannot write to its message log right now; resend later");
    }

    /** Base R4 (cardinalities, required bindings, references) and, for lab orders, US Core's: a test code. */
    private List<SingleValidationMessage> problems(IBaseResource resource) {
        var problems = new java.util.ArrayList<>(validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList());
        for (ServiceRequest order : orders(resource)) {
            if (!order.hasCode()) {
                var missing = new SingleValidationMessage();
                missing.setSeverity(ResultSeverityEnum.ERROR);
                missing.setLocationString("ServiceRequest.code");
                missing.setMessage("a lab order names its test (US Core ServiceRequest.code is required)");
                problems.add(missing);
            }
        }
        return problems;
    }

    private static List<ServiceRequest> orders(IBaseResource resource) {
        if (resource instanceof ServiceRequest order) {
            return List.of(order);
        }
        if (resource instanceof Bundle bundle) {
            return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast).toList();
        }
        return List.of();
    }

    private OperationOutcome outcome(List<SingleValidationMessage> problems) {
        var outcome = new OperationOutcome();
        for (SingleValidationMessage problem : problems) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(problem.getMessage())
                    .setExpression(List.of(new StringType(problem.getLocationString())));
        }
        return outcome;
    }

    /** Kept on the raw dead-letter topic with the reason (where ops look), then answered. */
    private BaseServerResponseException refused(RawMessage message, String key, BaseServerResponseException answer,
                                                String reason) {
        publisher.reject(Topics.RAW_FHIR, key, message, reason);
        count(message.environment(), "refused");
        return answer;
    }

    /** {@code Idempotency-Key} as on every HTTP channel; else a conditional create's criteria. */
    private static String idempotencyKey(RequestDetails request, IBaseResource resource, String conditional) {
        String key = request.getHeader("Idempotency-Key");
        if (key != null && !key.isBlank()) {
            return "fhir|" + key.trim();
        }
        if (conditional != null && !conditional.isBlank()) {
            return "fhir|" + resource.fhirType() + "?" + conditional.trim();
        }
        return null;
    }

    private static String patientIdentifier(IBaseResource resource) {
        if (resource instanceof Patient patient && patient.hasIdentifier()) {
            return patient.getIdentifierFirstRep().getSystem() + "|" + patient.getIdentifierFirstRep().getValue();
        }
        if (resource instanceof ServiceRequest order && order.getSubject().hasIdentifier()) {
            return order.getSubject().getIdentifier().getSystem() + "|" + order.getSubject().getIdentifier().getValue();
        }
        if (resource instanceof Bundle bundle) {
            for (var entry : bundle.getEntry()) {
                String found = patientIdentifier(entry.getResource());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted; resend later");
        } catch (ExecutionException | TimeoutException e) {
            throw new Unavailable("the duplicate check is unavailable; nothing stored; resend later");
        }
    }

    private void count(String environment, String outcome) {
        meters.counter("labops.ingress.messages", "channel", CHANNEL, "environment", environment, "outcome", outcome)
                .increment();
    }

    /** 503 with {@code Retry-After}: nothing was stored, the same request may simply be sent again. */
    static final class Unavailable extends BaseServerResponseException {

        Unavailable(String message) {
            super(503, message);
            addResponseHeader("Retry-After", "5");
        }
    }
}
