package labops.ingress.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.IModelVisitor2;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import labops.ingress.IngressProperties;
import labops.ingress.intake.ControlCharacters;
import labops.ingress.intake.RawIntake;
import labops.ingress.intake.SignedPushes;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawMessage;
import labops.platform.security.Caller;
import labops.schemas.topic.Topics;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
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
    private static final Pattern NAMED_ELEMENT = Pattern.compile("^([A-Z][A-Za-z]+(?:\\.[a-z][A-Za-z]*)+): ");
    /** A conditional reference to the patient by identifier, e.g. {@code Patient?identifier=system|value}. */
    static final String PATIENT_BY_IDENTIFIER = "Patient?identifier=";
    private static final String SIGNATURE = "labops.signature";

    /**
     * What was accepted: Lab Ops' id of the raw message, whether it was a copy of one accepted before, and where the
     * sender reads what became of it.
     */
    record Accepted(UUID messageId, boolean duplicate, String status) {

        /** Said in every success answer, so a sender need not know Lab Ops' URLs to follow up. */
        OperationOutcome outcome() {
            var outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics((duplicate ? "a copy of Lab Ops message " + messageId + ", not stored again"
                            : "stored as Lab Ops message " + messageId) + "; what became of it: GET " + status
                            + " with this token");
            return outcome;
        }
    }

    private final FhirContext fhir;
    private final FhirValidation validation;
    private final RawIntake intake;
    private final PartitionKeys keys;
    private final IngressProperties properties;
    private final SignedPushes signatures;

    FhirIntake(FhirContext fhir, FhirValidation validation, RawIntake intake, PartitionKeys keys,
               IngressProperties properties, SignedPushes signatures) {
        this.properties = properties;
        this.signatures = signatures;
        this.fhir = fhir;
        this.validation = validation;
        this.intake = intake;
        this.keys = keys;
    }

    /** A create or a transaction: the request's exact bytes, one raw message. */
    Accepted accept(RequestDetails request, IBaseResource resource, String conditional) {
        String headerKey = header(request);
        String copyOf = headerKey != null ? "Idempotency-Key " + headerKey
                : "a conditional create of " + resource.fhirType() + " with the same criteria";
        return accept(request, resource, request.loadRequestContents(),
                idempotencyKey(headerKey, resource, conditional), copyOf);
    }

    /**
     * One entry of a batch, checked and stored on its own as a raw message of its own: the entry's resource as HAPI
     * writes it in the request's format (a batch's entries do not depend on each other, so each has its own fate).
     * Its {@code request.ifNoneExist} is honoured; an {@code Idempotency-Key} covers each entry by its position.
     */
    Accepted acceptEntry(RequestDetails request, Bundle.BundleEntryComponent entry, int index) {
        String headerKey = header(request);
        String key = headerKey != null ? headerKey + "#" + index : null;
        byte[] payload = encoded(request, entry.getResource());
        String copyOf = key != null ? "Idempotency-Key " + headerKey + " entry " + index
                : "a conditional create of " + entry.getResource().fhirType() + " with the same criteria";
        return accept(request, entry.getResource(), payload,
                idempotencyKey(key, entry.getResource(), entry.getRequest().getIfNoneExist()), copyOf);
    }

    /** A batch entry this endpoint does not take: kept (the entry's resource) with the reason, as any refusal. */
    void refuseEntry(RequestDetails request, Bundle.BundleEntryComponent entry, String reason) {
        byte[] payload = entry.hasResource() ? encoded(request, entry.getResource()) : new byte[0];
        intake.refuse(message(request, payload, null), Topics.RAW_FHIR, reason);
    }

    /**
     * Refused, and kept for ops, when the tenant environment may not send anything now, or requires signed pushes and
     * this one is not signed, not authentic or a replay (before any entry is read).
     */
    void requireOpen(RequestDetails request) {
        var base = TenantAndEnvironment.Base.of(request);
        var closed = intake.closed(base.tenantId(), base.environment());
        if (closed.isPresent()) {
            throw refused(request, message(request, request.loadRequestContents(), null),
                    new ForbiddenOperationException(closed.get()), closed.get());
        }
        var signature = signature(request);
        if (signature.unavailable() != null) {
            throw new Unavailable(signature.unavailable());
        }
        if (signature.refusal() != null) {
            throw refused(request, message(request, request.loadRequestContents(), null),
                    new AuthenticationException(signature.refusal()), signature.refusal());
        }
    }

    /** Checked once per request: a batch's entries are one push under one webhook id. */
    private SignedPushes.Check signature(RequestDetails request) {
        return (SignedPushes.Check) request.getUserData().computeIfAbsent(SIGNATURE, key -> {
            var base = TenantAndEnvironment.Base.of(request);
            return signatures.check(base.tenantId(), base.environment(), request.loadRequestContents(),
                    request::getHeader);
        });
    }

    private Accepted accept(RequestDetails request, IBaseResource resource, byte[] payload, String idempotencyKey,
                            String copyOf) {
        requireOpen(request);
        RawMessage message = message(request, payload, idempotencyKey);
        List<SingleValidationMessage> problems = problems(resource, xml(request) ? null : payload);
        if (!problems.isEmpty()) {
            String first = problems.get(0).getLocationString() + ": " + problems.get(0).getMessage();
            throw refused(request, message, new UnprocessableEntityException(fhir, outcome(problems)), first);
        }
        // Follows the patient without naming them: a keyed hash of the first patient identifier sent.
        String subject = patientIdentifier(resource);
        String key = keys.of(message.tenantId(), subject != null ? subject : message.messageId().toString());
        RawIntake.Outcome outcome = RawIntake.await(intake.store(message, Topics.RAW_FHIR, key, copyOf));
        if (outcome instanceof RawIntake.NotStored notStored) {
            throw new Unavailable("not stored: " + notStored.reason() + "; resend later");
        }
        if (outcome instanceof RawIntake.Conflict conflict) {
            request.getUserData().put(FhirRefusals.KEPT, Boolean.TRUE);
            var answer = new OperationOutcome();
            answer.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.DUPLICATE).setDiagnostics(conflict.reason());
            throw new UnprocessableEntityException(fhir, answer);
        }
        signatures.stored(signature(request));
        UUID id = outcome instanceof RawIntake.Duplicate duplicate ? duplicate.original()
                : ((RawIntake.Stored) outcome).messageId();
        return new Accepted(id, outcome instanceof RawIntake.Duplicate,
                properties.messageStatus(message.tenantId(), message.environment(), id));
    }

    private static RawMessage message(RequestDetails request, byte[] payload, String idempotencyKey) {
        var base = TenantAndEnvironment.Base.of(request);
        return new RawMessage(UUID.randomUUID(), base.tenantId(), base.environment(), CHANNEL,
                request.getHeader("Content-Type"), Instant.now(), idempotencyKey,
                ((ServletRequestDetails) request).getServletRequest().getRemoteAddr(),
                Caller.of(SecurityContextHolder.getContext().getAuthentication()).subject(), payload);
    }

    private static String header(RequestDetails request) {
        String key = request.getHeader("Idempotency-Key");
        return key == null || key.isBlank() ? null : key.trim();
    }

    /** A resource as HAPI writes it in the request's own format: what is stored for a batch entry. */
    private byte[] encoded(RequestDetails request, IBaseResource resource) {
        var parser = xml(request) ? fhir.newXmlParser() : fhir.newJsonParser();
        return parser.encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean xml(RequestDetails request) {
        String type = request.getHeader("Content-Type");
        return type != null && type.contains("xml");
    }

    /**
     * Base R4 (cardinalities, required bindings, references) and, for lab orders, US Core's: a test code. A value with
     * a control character is refused before anything else (and before the validator spends its time on it).
     */
    private List<SingleValidationMessage> problems(IBaseResource resource, byte[] json) {
        var control = controlCharacter(resource);
        if (control != null) {
            return List.of(control);
        }
        var problems = new java.util.ArrayList<>(validation.problems(resource, json));
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

    /** The first primitive value holding a control character, named by its element path; null when there is none. */
    private SingleValidationMessage controlCharacter(IBaseResource resource) {
        var found = new SingleValidationMessage[1];
        fhir.newTerser().visit(resource, new IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containing, List<BaseRuntimeChildDefinition> path,
                                         List<BaseRuntimeElementDefinition<?>> definitions) {
                if (found[0] != null) {
                    return false;
                }
                if (element instanceof IPrimitiveType<?> primitive && primitive.getValueAsString() != null) {
                    String value = primitive.getValueAsString();
                    int at = ControlCharacters.first(value);
                    if (at >= 0) {
                        var problem = new SingleValidationMessage();
                        problem.setSeverity(ResultSeverityEnum.ERROR);
                        problem.setLocationString(resource.fhirType() + path.stream()
                                .map(child -> "." + child.getElementName()).collect(Collectors.joining()));
                        problem.setMessage("holds " + ControlCharacters.name(value.charAt(at))
                                + ", which FHIR strings cannot carry (send binary data base64-encoded)");
                        found[0] = problem;
                        return false;
                    }
                }
                return true;
            }

            @Override
            public boolean acceptUndeclaredExtension(IBaseExtension<?, ?> extension, List<IBase> containing,
                                                     List<BaseRuntimeChildDefinition> path,
                                                     List<BaseRuntimeElementDefinition<?>> definitions) {
                return found[0] == null;
            }
        });
        return found[0];
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
                    .setExpression(List.of(new StringType(expression(problem))));
        }
        return outcome;
    }

    /**
     * The failing element's FHIRPath. For a missing element HAPI reports the parent as the location and names the
     * element at the start of its message ({@code ServiceRequest.subject: minimum required = 1 ...}): that is the
     * element, below the location.
     */
    static String expression(SingleValidationMessage problem) {
        // Inside a Bundle HAPI annotates the path with the entry's type and id as a comment: not FHIRPath, dropped.
        String location = problem.getLocationString() == null ? null
                : problem.getLocationString().replaceAll("/\\*.*?\\*/", "");
        Matcher named = NAMED_ELEMENT.matcher(problem.getMessage() == null ? "" : problem.getMessage());
        if (location == null || !named.find()) {
            return location;
        }
        String element = named.group(1);
        String below = element.substring(element.indexOf('.'));
        return location.endsWith(below) ? location : location + below;
    }

    /** Kept on the raw dead-letter topic with the reason (where ops look), then answered. */
    private BaseServerResponseException refused(RequestDetails request, RawMessage message,
                                                BaseServerResponseException answer, String reason) {
        intake.refuse(message, Topics.RAW_FHIR, reason);
        request.getUserData().put(FhirRefusals.KEPT, Boolean.TRUE);
        return answer;
    }

    /** {@code Idempotency-Key} as on every HTTP channel; else a conditional create's criteria. */
    private static String idempotencyKey(String key, IBaseResource resource, String conditional) {
        if (key != null) {
            return "fhir|" + key;
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
        if (resource instanceof ServiceRequest order && order.getSubject().hasReference()
                && order.getSubject().getReference().startsWith(PATIENT_BY_IDENTIFIER)) {
            return order.getSubject().getReference().substring(PATIENT_BY_IDENTIFIER.length());
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

    /** 503 with {@code Retry-After}: nothing was stored, the same request may simply be sent again. */
    static final class Unavailable extends BaseServerResponseException {

        Unavailable(String message) {
            super(503, message);
            addResponseHeader("Retry-After", "5");
        }
    }
}
