package labops.normalizer.fhir;

import java.util.List;
import labops.normalizer.profile.ProfileMapping;
import labops.normalizer.raw.EventContext;
import labops.events.CodedConcept;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.events.Identifier;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientReference;
import labops.events.Provider;
import labops.events.Specimen;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * ServiceRequest to {@code LabOrderEvent}, as faithfully as HL7's ORC/OBR: the placer number (identifier typed PLAC,
 * else the first), the filler number (FILL), status to action, priority, authoredOn, requester, the test code through
 * the tenant's profile, specimen, notes, and home collection for a patient-residence location (PTRES) with the
 * occurrence period as window.
 */
final class FhirOrderMapper {

    private static final String IDENTIFIER_TYPES = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private FhirOrderMapper() {
    }

    static CanonicalEvent map(ServiceRequest order, int position, Resources resources, EventContext<ProfileMapping> context)
            throws UnmappableMessageException {
        String where = " (ServiceRequest " + position + ")";
        OrderNumber placer = number(order, "PLAC");
        if (placer == null && order.hasIdentifier() && !typed(order.getIdentifierFirstRep(), "FILL")) {
            placer = new OrderNumber(order.getIdentifierFirstRep().getValue(), order.getIdentifierFirstRep().getSystem());
        }
        OrderNumber filler = number(order, "FILL");
        if (placer == null && filler == null) {
            throw new UnmappableMessageException("ServiceRequest.identifier (placer order number) is missing" + where);
        }
        CodedConcept test = context.profile().test(coded(order.getCode()), "ServiceRequest.code" + where, true);
        if (test == null) {
            throw new UnmappableMessageException("ServiceRequest.code (the test) is missing" + where);
        }
        Patient patient = resources.patient(order);
        List<Identifier> identifiers = patient != null ? FhirPatientMapper.identifiers(patient, context)
                : FhirPatientMapper.identifiers(order.getSubject(), context);
        var event = context.order("order-" + position)
                .setOccurredAt(order.hasAuthoredOn() ? order.getAuthoredOn().toInstant() : context.occurredAt())
                .setAction(action(order, where))
                .setPlacerOrderNumber(placer)
                .setFillerOrderNumber(filler)
                .setPriority(priority(order, context))
                .setOrderedAt(order.hasAuthoredOn() ? order.getAuthoredOn().toInstant() : null)
                .setOrderingProvider(requester(order))
                .setTests(List.of(test))
                .setSpecimen(context.profile().specimen(specimen(resources.specimen(order))))
                .setCollection(collection(order, patient, context.profile()))
                .setClinicalNotes(order.getNote().stream().filter(n -> n.hasText()).map(n -> n.getText()).toList())
                .setPatient(new PatientReference(identifiers))
                .build();
        return new CanonicalEvent(Topics.CANONICAL_ORDERS,
                context.key(placer != null ? placer.getValue() : filler.getValue()), event);
    }

    private static OrderNumber number(ServiceRequest order, String type) {
        return order.getIdentifier().stream().filter(i -> typed(i, type) && i.hasValue()).findFirst()
                .map(i -> new OrderNumber(i.getValue(), i.getSystem())).orElse(null);
    }

    private static boolean typed(org.hl7.fhir.r4.model.Identifier identifier, String code) {
        return identifier.getType().getCoding().stream()
                .anyMatch(c -> code.equals(c.getCode()) && (!c.hasSystem() || IDENTIFIER_TYPES.equals(c.getSystem())));
    }

    /** active (or draft) is a new order, on-hold a hold, revoked or entered-in-error a cancel. */
    private static OrderAction action(ServiceRequest order, String where) throws UnmappableMessageException {
        if (!order.hasStatus()) {
            throw new UnmappableMessageException("ServiceRequest.status is missing" + where);
        }
        return switch (order.getStatus()) {
            case ACTIVE, DRAFT -> OrderAction.NEW;
            case ONHOLD -> OrderAction.HOLD;
            case REVOKED, ENTEREDINERROR -> OrderAction.CANCEL;
            default -> throw new UnmappableMessageException("ServiceRequest.status " + order.getStatus().toCode()
                    + " is not an order change Lab Ops takes (active, draft, on-hold, revoked, entered-in-error)"
                    + where);
        };
    }

    /** The tenant's own priority codes first (by code), then FHIR's request-priority. */
    private static OrderPriority priority(ServiceRequest order, EventContext<ProfileMapping> context) {
        if (!order.hasPriority()) {
            return OrderPriority.UNSPECIFIED;
        }
        OrderPriority mapped = context.profile().priority(order.getPriority().toCode());
        if (mapped != null) {
            return mapped;
        }
        return switch (order.getPriority()) {
            case ROUTINE -> OrderPriority.ROUTINE;
            case URGENT -> OrderPriority.URGENT;
            case ASAP -> OrderPriority.ASAP;
            case STAT -> OrderPriority.STAT;
            default -> OrderPriority.UNSPECIFIED;
        };
    }

    private static Provider requester(ServiceRequest order) {
        if (!order.hasRequester() || !order.getRequester().hasIdentifier()) {
            return null;
        }
        var identifier = order.getRequester().getIdentifier();
        return new Provider(new Identifier(identifier.getValue(), identifier.getSystem(), null), null,
                null);
    }

    private static Specimen specimen(org.hl7.fhir.r4.model.Specimen specimen) {
        if (specimen == null) {
            return null;
        }
        var collection = specimen.getCollection();
        return new Specimen(coded(specimen.getType()),
                collection.hasCollectedDateTimeType() ? collection.getCollectedDateTimeType().getValue().toInstant()
                        : null,
                coded(collection.getMethod()));
    }

    /**
     * A patient-residence location (v3 RoleCode PTRES), or a location code the tenant's profile names as home, means
     * home collection, at the patient's address.
     */
    private static CollectionMode collection(ServiceRequest order, Patient patient, ProfileMapping profile) {
        boolean home = order.getLocationCode().stream().flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> "PTRES".equals(c.getCode()) || profile.homeLocation(c.getCode()));
        if (!home) {
            return CollectionMode.newBuilder().setMode(CollectionType.IN_LAB).build();
        }
        var addresses = patient == null ? List.<labops.events.Address>of() : FhirPatientMapper.addresses(patient);
        var window = order.hasOccurrencePeriod() ? order.getOccurrencePeriod() : null;
        return CollectionMode.newBuilder()
                .setMode(CollectionType.HOME_COLLECTION)
                .setAddress(addresses.isEmpty() ? null : addresses.get(0))
                .setWindowStart(window != null && window.hasStart() ? window.getStart().toInstant() : null)
                .setWindowEnd(window != null && window.hasEnd() ? window.getEnd().toInstant() : null)
                .build();
    }

    private static CodedConcept coded(CodeableConcept concept) {
        if (concept == null || !concept.hasCoding()) {
            return null;
        }
        Coding coding = concept.getCodingFirstRep();
        return new CodedConcept(coding.getCode(), coding.getSystem(),
                coding.hasDisplay() ? coding.getDisplay() : concept.getText());
    }
}
