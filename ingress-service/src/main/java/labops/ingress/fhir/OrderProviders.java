package labops.ingress.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

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

        @Transaction
        public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
            if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
                throw new UnprocessableEntityException("Bundle.type: only transaction Bundles are accepted here");
            }
            var inBundle = new java.util.HashSet<String>();
            for (var entry : bundle.getEntry()) {
                if (entry.hasFullUrl()) {
                    inBundle.add(entry.getFullUrl());
                }
            }
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                var entry = bundle.getEntry().get(i);
                String type = entry.hasResource() ? entry.getResource().fhirType() : "nothing";
                if (!ACCEPTED.contains(type) || entry.getRequest().getMethod() != Bundle.HTTPVerb.POST) {
                    throw new UnprocessableEntityException("Bundle.entry[" + i + "]: only POST of " + ACCEPTED
                            + " is accepted, not " + entry.getRequest().getMethod() + " of " + type);
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
                        .setLocation(type + "/" + accepted.messageId() + "-" + (i + 1));
            }
            return response;
        }
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
        return outcome;
    }
}
