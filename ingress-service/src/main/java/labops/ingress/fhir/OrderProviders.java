package labops.ingress.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.springframework.http.HttpStatus;

/**
 * The interactions a hospital's EHR uses to send lab orders: create ServiceRequest, Patient and Specimen (conditional
 * create honoured), and transaction Bundles of them. Every one goes through {@link FhirIntake}; the id answered is
 * Lab Ops' id of what was stored.
 */
final class OrderProviders {

    /** The resource types this endpoint takes, alone or in a transaction. */
    static final Set<String> ACCEPTED = Set.of("ServiceRequest", "Patient", "Specimen");

    private OrderProviders() {
    }

    public static final class ServiceRequests implements IResourceProvider {

        private final FhirIntake intake;

        ServiceRequests(FhirIntake intake) {
            this.intake = intake;
        }

        @Override
        public Class<ServiceRequest> getResourceType() {
            return ServiceRequest.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam ServiceRequest order, @ConditionalUrlParam String conditional,
                                    RequestDetails request) {
            return created("ServiceRequest", intake.accept(request, order, conditional));
        }
    }

    public static final class Patients implements IResourceProvider {

        private final FhirIntake intake;

        Patients(FhirIntake intake) {
            this.intake = intake;
        }

        @Override
        public Class<Patient> getResourceType() {
            return Patient.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam Patient patient, @ConditionalUrlParam String conditional,
                                    RequestDetails request) {
            return created("Patient", intake.accept(request, patient, conditional));
        }
    }

    public static final class Specimens implements IResourceProvider {

        private final FhirIntake intake;

        Specimens(FhirIntake intake) {
            this.intake = intake;
        }

        @Override
        public Class<Specimen> getResourceType() {
            return Specimen.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam Specimen specimen, @ConditionalUrlParam String conditional,
                                    RequestDetails request) {
            return created("Specimen", intake.accept(request, specimen, conditional));
        }
    }

    /**
     * A transaction Bundle is stored as one message (all or nothing, as a transaction is) and answered with a
     * transaction-response naming each entry's Lab Ops id. Batch Bundles are refused for now.
     */
    public static final class Transactions {

        private final FhirIntake intake;

        Transactions(FhirIntake intake) {
            this.intake = intake;
        }

        /** A transaction (all or nothing, one raw message) or a batch (each entry on its own). */
        @Transaction
        public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
            if (bundle.getType() == Bundle.BundleType.BATCH) {
                return batch(bundle, request);
            }
            if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
                throw new UnprocessableEntityException("Bundle.type: only transaction and batch Bundles are accepted "
                        + "here, not " + (bundle.hasType() ? bundle.getType().toCode() : "none"));
            }
            var inBundle = new java.util.HashSet<String>();
            for (var entry : bundle.getEntry()) {
                if (entry.hasFullUrl()) {
                    inBundle.add(entry.getFullUrl());
                }
            }
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                var entry = bundle.getEntry().get(i);
                String refused = unsupported(entry, i);
                if (refused != null) {
                    throw new UnprocessableEntityException(refused);
                }
                if (entry.getResource() instanceof ServiceRequest order) {
                    unresolved(order.getSubject(), inBundle, "Bundle.entry[" + i + "].resource.subject");
                    for (int s = 0; s < order.getSpecimen().size(); s++) {
                        unresolved(order.getSpecimen().get(s), inBundle,
                                "Bundle.entry[" + i + "].resource.specimen[" + s + "]");
                    }
                }
            }
            var accepted = intake.accept(request, bundle, null);
            var response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                String type = bundle.getEntry().get(i).getResource().fhirType();
                response.addEntry().getResponse()
                        .setStatus(accepted.duplicate() ? "200 OK" : "201 Created")
                        .setLocation(type + "/" + accepted.messageId() + "-" + (i + 1))
                        .setOutcome(accepted.outcome());
            }
            return response;
        }

        /**
         * Each entry validated and stored on its own: the good ones accepted whatever happens to the others, a bad
         * one answered in its own entry with the status and OperationOutcome it would have got alone.
         */
        private Bundle batch(Bundle bundle, RequestDetails request) {
            intake.requireOpen(request);
            var response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                var entry = bundle.getEntry().get(i);
                var answer = response.addEntry().getResponse();
                String refused = unsupported(entry, i);
                if (refused == null && entry.getResource() instanceof ServiceRequest order
                        && order.getSubject().hasReference() && order.getSubject().getReference().startsWith("urn:uuid:")) {
                    refused = "Bundle.entry[" + i + "].resource.subject: a batch's entries stand alone; refer to the "
                            + "patient by identifier (Patient?identifier=system|value) or send a transaction";
                }
                if (refused != null) {
                    intake.refuseEntry(request, entry, refused);
                    var problem = new UnprocessableEntityException(refused);
                    answer.setStatus(status(problem)).setOutcome(outcomeOf(problem));
                    continue;
                }
                try {
                    var accepted = intake.acceptEntry(request, entry, i);
                    answer.setStatus(accepted.duplicate() ? "200 OK" : "201 Created")
                            .setLocation(entry.getResource().fhirType() + "/" + accepted.messageId())
                            .setOutcome(accepted.outcome());
                } catch (BaseServerResponseException problem) {
                    answer.setStatus(status(problem)).setOutcome(outcomeOf(problem));
                }
            }
            return response;
        }
    }

    /** Why an entry is not something this endpoint takes, or null when it is. */
    private static String unsupported(Bundle.BundleEntryComponent entry, int index) {
        String type = entry.hasResource() ? entry.getResource().fhirType() : "nothing";
        if (ACCEPTED.contains(type) && entry.getRequest().getMethod() == Bundle.HTTPVerb.POST) {
            return null;
        }
        return "Bundle.entry[" + index + "]: only POST of " + ACCEPTED.stream().sorted().toList() + " is accepted, not "
                + (entry.getRequest().hasMethod() ? entry.getRequest().getMethod().toCode() : "no method") + " of " + type;
    }

    /** An entry's {@code response.status}: the code and its reason phrase, as HTTP would say it. */
    private static String status(BaseServerResponseException problem) {
        return problem.getStatusCode() + " " + HttpStatus.valueOf(problem.getStatusCode()).getReasonPhrase();
    }

    /** The problem's own OperationOutcome where it carries one (validation), else one made from its message. */
    private static OperationOutcome outcomeOf(BaseServerResponseException problem) {
        if (problem.getOperationOutcome() instanceof OperationOutcome outcome) {
            return outcome;
        }
        var outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(problem.getStatusCode() == 503 ? OperationOutcome.IssueType.TRANSIENT
                        : OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(problem.getMessage());
        return outcome;
    }

    /** A {@code urn:uuid:} reference must name an entry of the same Bundle: there is nothing else it could mean. */
    private static void unresolved(org.hl7.fhir.r4.model.Reference reference, java.util.Set<String> inBundle,
                                   String element) {
        if (reference.hasReference() && reference.getReference().startsWith("urn:uuid:")
                && !inBundle.contains(reference.getReference())) {
            throw new UnprocessableEntityException(element + ": " + reference.getReference()
                    + " resolves to no entry of this Bundle");
        }
    }

    private static MethodOutcome created(String type, FhirIntake.Accepted accepted) {
        var outcome = new MethodOutcome(new IdType(type, accepted.messageId().toString()));
        outcome.setCreated(!accepted.duplicate());
        outcome.setOperationOutcome(accepted.outcome());
        return outcome;
    }
}
