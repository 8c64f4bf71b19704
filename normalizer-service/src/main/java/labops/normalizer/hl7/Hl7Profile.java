package labops.normalizer.hl7;

import ca.uhn.hl7v2.model.v251.segment.PID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import labops.events.Address;
import labops.events.CodedConcept;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.events.Identifier;
import labops.events.OrderPriority;
import labops.events.Specimen;
import labops.normalizer.profile.FieldPath;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.raw.UnmappableMessageException;

/**
 * A tenant's mapping profile applied to one HL7 v2 message (its text at hand, for the fields the profile names).
 * Every refusal names the field and the profile version, never a value from the patient's record.
 */
final class Hl7Profile {

    private static final String LOINC = "http://loinc.org";
    private static final FieldPath PATIENT_LOCATION = FieldPath.parse("PV1-3.1");

    private final MappingProfile profile;
    private final MappingRules rules;
    private final String message;

    Hl7Profile(MappingProfile profile, String message) {
        this.profile = profile;
        this.rules = profile.rules();
        this.message = message;
    }

    int version() {
        return profile.version();
    }

    /**
     * A test code as LOINC when the profile maps it; a code already LOINC stays. An order's unmapped local code is
     * refused when the profile says so ({@code required}); a result's observation codes are never refused for it.
     */
    CodedConcept test(CodedConcept code, String field, boolean required) throws UnmappableMessageException {
        if (code == null || LOINC.equals(code.getSystem())) {
            return code;
        }
        MappingRules.TestCode mapped = rules.testCodeOf(code.getCode());
        if (mapped != null) {
            return new CodedConcept(mapped.loinc(), LOINC, mapped.display() != null ? mapped.display() : code.getDisplay());
        }
        if (required && rules.unknownTestCodes() == MappingRules.UnknownTestCodes.DEAD_LETTER) {
            throw new UnmappableMessageException(field + " test code " + code.getCode()
                    + " is not in the mapping profile (version " + version() + ")");
        }
        return code;
    }

    /** The tenant's own meaning of a priority code, null when the profile does not map it. */
    OrderPriority priority(String code) {
        return code == null ? null : rules.priorityOf(code);
    }

    /** The profile's default specimen type when the order names none. */
    Specimen specimen(Specimen given) {
        var fallback = rules.defaultSpecimen();
        if (fallback == null || (given != null && given.getType() != null)) {
            return given;
        }
        var type = new CodedConcept(fallback.code(), OrderMapper.SPECIMEN_TYPES, fallback.display());
        return given == null ? new Specimen(type, null, null)
                : new Specimen(type, given.getCollectedAt(), given.getCollectionMethod());
    }

    /** PID-3 with the MRN first, when the profile says which repetition it is. */
    List<Identifier> identifiers(List<Identifier> given) throws UnmappableMessageException {
        var rule = rules.mrn();
        if (rule == null) {
            return given;
        }
        for (Identifier identifier : given) {
            if (rule.identifierType().equals(identifier.getType()) && (rule.assigningAuthority() == null
                    || rule.assigningAuthority().equals(identifier.getAssigningAuthority()))) {
                var ordered = new ArrayList<Identifier>();
                ordered.add(identifier);
                given.stream().filter(other -> other != identifier).forEach(ordered::add);
                return ordered;
            }
        }
        throw new UnmappableMessageException("PID-3 has no identifier of type " + rule.identifierType()
                + (rule.assigningAuthority() == null ? "" : " assigned by " + rule.assigningAuthority())
                + ", the MRN in the mapping profile (version " + version() + ")");
    }

    /** Home collection when the profile's signal is in the message: the patient's address and the window. */
    CollectionMode collection(PID pid) throws UnmappableMessageException {
        var rule = rules.homeCollection();
        if (rule == null || !signalled(rule)) {
            return CollectionMode.newBuilder().setMode(CollectionType.IN_LAB).build();
        }
        List<Address> addresses = PatientMapper.addresses(pid);
        return CollectionMode.newBuilder()
                .setMode(CollectionType.HOME_COLLECTION)
                .setAddress(addresses.isEmpty() ? null : addresses.get(0))
                .setWindowStart(instant(rule.windowStartField()))
                .setWindowEnd(instant(rule.windowEndField()))
                .build();
    }

    private boolean signalled(MappingRules.HomeCollection rule) {
        if (rule.field() != null) {
            String value = FieldPath.parse(rule.field()).read(message);
            if (value != null && (rule.value() == null || rule.value().equals(value))) {
                return true;
            }
        }
        String location = PATIENT_LOCATION.read(message);
        return location != null && rule.patientLocations().contains(location);
    }

    private Instant instant(String field) throws UnmappableMessageException {
        return field == null ? null : Fields.instant(FieldPath.parse(field).read(message), field);
    }
}
