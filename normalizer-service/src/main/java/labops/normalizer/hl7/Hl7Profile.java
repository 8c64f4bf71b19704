package labops.normalizer.hl7;

import ca.uhn.hl7v2.model.Segment;
import java.time.Instant;
import java.util.List;
import labops.events.Address;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.normalizer.profile.FieldPath;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.profile.ProfileMapping;
import labops.normalizer.raw.UnmappableMessageException;

/** A tenant's mapping profile applied to one HL7 v2 message, with its text at hand for the fields the profile names. */
final class Hl7Profile extends ProfileMapping {

    private static final FieldPath PATIENT_LOCATION = FieldPath.parse("PV1-3.1");

    private final String message;

    Hl7Profile(MappingProfile profile, String message) {
        super(profile);
        this.message = message;
    }

    /** Home collection when the profile's signal is in the message: the patient's address and the window. */
    CollectionMode collection(Segment pid) throws UnmappableMessageException {
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
        return field == null ? null : Fields.instant(FieldPath.parse(field).read(message), field, zone());
    }
}
