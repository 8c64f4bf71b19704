package labops.normalizer.fhir;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import labops.normalizer.profile.ProfileMapping;
import labops.normalizer.raw.EventContext;
import labops.events.Address;
import labops.events.AdministrativeSex;
import labops.events.ContactPoint;
import labops.events.ContactSystem;
import labops.events.Identifier;
import labops.events.PatientAction;
import labops.events.PatientEvent;
import labops.events.PersonName;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/** Patient to {@code PatientEvent} (an upsert), keyed like its raw message: never by an identifier. */
final class FhirPatientMapper {

    private FhirPatientMapper() {
    }

    static CanonicalEvent map(Patient patient, String part, EventContext<ProfileMapping> context)
            throws UnmappableMessageException {
        var event = context.patient(part, PatientAction.UPSERT)
                .setIdentifiers(identifiers(patient, context))
                .setMergedIdentifiers(List.of())
                .setNames(patient.getName().stream().map(name -> new PersonName(name.getFamily(),
                        name.getGiven().stream().map(g -> g.getValue()).toList(), name.getPrefixAsSingleString().isEmpty()
                        ? null : name.getPrefixAsSingleString(), name.getSuffixAsSingleString().isEmpty() ? null
                        : name.getSuffixAsSingleString(), name.hasUse() ? name.getUse().toCode() : null)).toList())
                .setBirthDate(birthDate(patient))
                .setAdministrativeSex(sex(patient))
                .setTelecom(patient.getTelecom().stream().filter(t -> t.hasValue())
                        .map(t -> new ContactPoint(system(t.hasSystem() ? t.getSystem().toCode() : null), t.getValue(),
                                t.hasUse() ? t.getUse().toCode() : null)).toList())
                .setAddresses(addresses(patient))
                .build();
        return new CanonicalEvent(Topics.CANONICAL_PATIENTS, context.patientKey(), event);
    }

    /** Patient.identifier (system as the authority, type.coding[0].code as the type), the MRN first per profile. */
    static List<Identifier> identifiers(Patient patient, EventContext<ProfileMapping> context)
            throws UnmappableMessageException {
        var identifiers = new ArrayList<Identifier>();
        for (var identifier : patient.getIdentifier()) {
            if (identifier.hasValue()) {
                identifiers.add(new Identifier(identifier.getValue(), identifier.getSystem(),
                        identifier.getType().hasCoding() ? identifier.getType().getCodingFirstRep().getCode() : null));
            }
        }
        if (identifiers.isEmpty()) {
            throw new UnmappableMessageException("Patient.identifier is missing: Lab Ops finds patients by identifier");
        }
        return context.profile().identifiers(identifiers);
    }

    /** A subject given only by its identifier, or by a conditional reference naming one (the patient is elsewhere). */
    static List<Identifier> identifiers(Reference subject, EventContext<ProfileMapping> context)
            throws UnmappableMessageException {
        var identifier = Resources.identifier(subject);
        if (identifier == null) {
            throw new UnmappableMessageException("ServiceRequest.subject resolves to no Patient in the message and "
                    + "carries no identifier");
        }
        return context.profile().identifiers(new ArrayList<>(List.of(new Identifier(identifier.getValue(),
                identifier.getSystem(), identifier.getType().hasCoding() ? identifier.getType().getCodingFirstRep()
                .getCode() : null))));
    }

    /** The date as written (a partial date from its first day), never shifted by a time zone. */
    private static LocalDate birthDate(Patient patient) {
        if (!patient.hasBirthDate()) {
            return null;
        }
        String written = patient.getBirthDateElement().getValueAsString();
        return LocalDate.parse(written.length() == 4 ? written + "-01-01"
                : written.length() == 7 ? written + "-01" : written.substring(0, 10));
    }

    static List<Address> addresses(Patient patient) {
        return patient.getAddress().stream().map(a -> new Address(a.getLine().stream().map(l -> l.getValue()).toList(),
                a.getCity(), a.getState(), a.getPostalCode(), a.getCountry(), a.hasUse() ? a.getUse().toCode() : null))
                .toList();
    }

    private static AdministrativeSex sex(Patient patient) {
        if (!patient.hasGender()) {
            return null;
        }
        return switch (patient.getGender()) {
            case MALE -> AdministrativeSex.MALE;
            case FEMALE -> AdministrativeSex.FEMALE;
            case OTHER -> AdministrativeSex.OTHER;
            default -> AdministrativeSex.UNKNOWN;
        };
    }

    private static ContactSystem system(String code) {
        if (code == null) {
            return ContactSystem.OTHER;
        }
        return switch (code) {
            case "phone" -> ContactSystem.PHONE;
            case "email" -> ContactSystem.EMAIL;
            case "fax" -> ContactSystem.FAX;
            default -> ContactSystem.OTHER;
        };
    }
}
