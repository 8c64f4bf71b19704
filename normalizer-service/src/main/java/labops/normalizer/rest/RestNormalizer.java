package labops.normalizer.rest;

import java.util.ArrayList;
import java.util.List;
import labops.events.Address;
import labops.events.AdministrativeSex;
import labops.events.CodedConcept;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.events.ContactPoint;
import labops.events.ContactSystem;
import labops.events.EventSource;
import labops.events.Identifier;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientAction;
import labops.events.PatientReference;
import labops.events.PersonName;
import labops.events.Provider;
import labops.events.SourceFormat;
import labops.events.Specimen;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.ProfileMapping;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.EventContext;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.rest.RestOrders;
import labops.schemas.rest.RestResults;
import labops.schemas.topic.Topics;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One order in the REST JSON format (as ingress stored it: one order of a REST request, or one approved row of a CSV
 * import, read into the same format) to a {@code PatientEvent} (an upsert of what the order says of the patient)
 * and a {@code LabOrderEvent}, with the tenant's mapping profile applied as for HL7 and FHIR: local test and priority
 * codes, the default specimen. One instance per raw topic that carries the format. A REST result (its content type
 * says so) is {@link RestResultMapper}'s.
 */
class RestNormalizer implements RawMessageNormalizer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String topic;
    private final SourceFormat format;

    RestNormalizer(String topic, SourceFormat format) {
        this.topic = topic;
        this.format = format;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile) throws UnmappableMessageException {
        if (RestResults.CONTENT_TYPE.equals(raw.contentType())) {
            return RestResultMapper.normalize(raw, profile, format);
        }
        RestOrders.Order order;
        try {
            order = JSON.readValue(raw.payload(), RestOrders.Order.class);
        } catch (JacksonException e) {
            throw new UnmappableMessageException("REST order cannot be read as the documented format");
        }
        if (order.orderNumber() == null || order.patient() == null || order.patient().mrn() == null) {
            throw new UnmappableMessageException("REST order lacks /orderNumber or /patient/mrn");
        }
        var context = context(raw, profile, format, order.orderNumber());
        var patient = order.patient();
        List<Identifier> identifiers = identifiers(context, patient.mrn(), patient.mrnSystem());
        Address address = address(patient.address());
        var patientEvent = context.patient("patient", PatientAction.UPSERT)
                .setIdentifiers(identifiers)
                .setMergedIdentifiers(List.of())
                .setNames(patient.family() == null && patient.given() == null ? List.of()
                        : List.of(new PersonName(patient.family(), patient.given() == null ? List.of() : patient.given(),
                        null, null, null)))
                .setBirthDate(patient.birthDate())
                .setAdministrativeSex(sex(patient.sex()))
                .setTelecom(telecom(patient))
                .setAddresses(address == null ? List.of() : List.of(address))
                .build();
        var tests = new ArrayList<CodedConcept>();
        for (int i = 0; i < (order.tests() == null ? 0 : order.tests().size()); i++) {
            var test = order.tests().get(i);
            tests.add(context.profile().test(new CodedConcept(test.code(), test.system(), test.display()),
                    "/tests/" + i, true));
        }
        if (tests.isEmpty()) {
            throw new UnmappableMessageException("REST order /tests is empty");
        }
        var orderEvent = context.order("order")
                .setOccurredAt(order.orderedAt() != null ? order.orderedAt() : raw.receivedAt())
                .setAction(action(order.action()))
                .setPlacerOrderNumber(new OrderNumber(order.orderNumber(), order.orderNumberSystem()))
                .setPriority(priority(order.priority(), context.profile()))
                .setOrderedAt(order.orderedAt())
                .setOrderingProvider(provider(order.orderingProvider()))
                .setTests(tests)
                .setSpecimen(context.profile().specimen(order.specimen() == null ? null : new Specimen(
                        order.specimen().type() == null ? null : new CodedConcept(order.specimen().type(),
                                ProfileMapping.SPECIMEN_TYPES, null), order.specimen().collectedAt(), null)))
                .setCollection(collection(order.homeCollection(), address))
                .setClinicalNotes(order.notes() == null ? List.of() : order.notes())
                .setPatient(new PatientReference(identifiers))
                .build();
        return List.of(new CanonicalEvent(Topics.CANONICAL_PATIENTS, context.patientKey(), patientEvent),
                new CanonicalEvent(Topics.CANONICAL_ORDERS, context.key(order.orderNumber()), orderEvent));
    }

    /** What the events of one REST item share: its source (the item's order number its original id), the profile. */
    static EventContext<ProfileMapping> context(RawRecord raw, MappingProfile profile, SourceFormat format,
                                                String orderNumber) {
        var source = EventSource.newBuilder().setFormat(format).setChannel(raw.channel())
                .setOriginalMessageId(orderNumber).setRawMessageId(raw.messageId())
                .setSender(raw.senderAddress()).setReceivedAt(raw.receivedAt())
                .setMappingProfileVersion(profile.version()).build();
        return new EventContext<>(raw, source, raw.receivedAt(), new ProfileMapping(profile));
    }

    /** The item's patient by medical record number, through the profile's identifier rules. */
    static List<Identifier> identifiers(EventContext<ProfileMapping> context, String mrn, String system)
            throws UnmappableMessageException {
        return context.profile().identifiers(new ArrayList<>(List.of(new Identifier(mrn, system, "MR"))));
    }

    private static OrderAction action(String action) {
        return switch (action == null ? "new" : action) {
            case "update" -> OrderAction.UPDATE;
            case "cancel" -> OrderAction.CANCEL;
            case "hold" -> OrderAction.HOLD;
            case "resume" -> OrderAction.RESUME;
            default -> OrderAction.NEW;
        };
    }

    /** The tenant's own priority codes first, then routine, urgent, asap, stat. */
    private static OrderPriority priority(String code, ProfileMapping profile) {
        if (code == null) {
            return OrderPriority.UNSPECIFIED;
        }
        OrderPriority mapped = profile.priority(code);
        if (mapped != null) {
            return mapped;
        }
        return switch (code.toLowerCase()) {
            case "routine" -> OrderPriority.ROUTINE;
            case "urgent" -> OrderPriority.URGENT;
            case "asap" -> OrderPriority.ASAP;
            case "stat" -> OrderPriority.STAT;
            default -> OrderPriority.UNSPECIFIED;
        };
    }

    private static Provider provider(RestOrders.Provider provider) {
        if (provider == null) {
            return null;
        }
        return new Provider(new Identifier(provider.id(), provider.system(), null),
                provider.family() == null && provider.given() == null ? null : new PersonName(provider.family(),
                        provider.given() == null ? List.of() : List.of(provider.given()), null, null, null), null);
    }

    /** At the address given for collection, else the patient's. */
    private static CollectionMode collection(RestOrders.HomeCollection home, Address patientAddress) {
        if (home == null) {
            return CollectionMode.newBuilder().setMode(CollectionType.IN_LAB).build();
        }
        Address at = home.address() != null ? address(home.address()) : patientAddress;
        return CollectionMode.newBuilder().setMode(CollectionType.HOME_COLLECTION).setAddress(at)
                .setWindowStart(home.windowStart()).setWindowEnd(home.windowEnd()).build();
    }

    private static Address address(RestOrders.Address address) {
        return address == null ? null : new Address(address.lines() == null ? List.of() : address.lines(),
                address.city(), address.state(), address.postalCode(), address.country(), "home");
    }

    private static List<ContactPoint> telecom(RestOrders.Patient patient) {
        var contacts = new ArrayList<ContactPoint>();
        if (patient.phone() != null) {
            contacts.add(new ContactPoint(ContactSystem.PHONE, patient.phone(), "home"));
        }
        if (patient.email() != null) {
            contacts.add(new ContactPoint(ContactSystem.EMAIL, patient.email(), "home"));
        }
        return contacts;
    }

    private static AdministrativeSex sex(String sex) {
        if (sex == null) {
            return null;
        }
        return switch (sex) {
            case "female" -> AdministrativeSex.FEMALE;
            case "male" -> AdministrativeSex.MALE;
            case "other" -> AdministrativeSex.OTHER;
            default -> AdministrativeSex.UNKNOWN;
        };
    }
}
