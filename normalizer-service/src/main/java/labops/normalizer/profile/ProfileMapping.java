package labops.normalizer.profile;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import labops.events.CodedConcept;
import labops.events.Identifier;
import labops.events.OrderPriority;
import labops.events.Specimen;
import labops.normalizer.raw.UnmappableMessageException;

/**
 * A tenant's mapping profile applied to one message, whatever its format: test codes, priorities, the default
 * specimen and the MRN. Every refusal names the field and the profile version, never a value from the patient's
 * record.
 */
public class ProfileMapping {

    public static final String LOINC = "http://loinc.org";
    public static final String SPECIMEN_TYPES = "http://terminology.hl7.org/CodeSystem/v2-0487";

    private final MappingProfile profile;
    protected final MappingRules rules;
    private final ZoneId zone;

    public ProfileMapping(MappingProfile profile) {
        this.profile = profile;
        this.rules = profile.rules();
        this.zone = rules.zone();
    }

    public int version() {
        return profile.version();
    }

    /** Where a time sent without an offset was read: the tenant's time zone. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * A test code as LOINC when the profile maps it; a code already LOINC stays. An order's unmapped local code is
     * refused when the profile says so ({@code required}); a result's observation codes are never refused for it.
     */
    public CodedConcept test(CodedConcept code, String field, boolean required) throws UnmappableMessageException {
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
    public OrderPriority priority(String code) {
        return code == null ? null : rules.priorityOf(code);
    }

    /** Whether a location code means collection at the patient's home (the profile's home-collection locations). */
    public boolean homeLocation(String code) {
        return code != null && rules.homeCollection() != null && rules.homeCollection().patientLocations().contains(code);
    }

    /** The profile's default specimen type when the order names none. */
    public Specimen specimen(Specimen given) {
        var fallback = rules.defaultSpecimen();
        if (fallback == null || (given != null && given.getType() != null)) {
            return given;
        }
        var type = new CodedConcept(fallback.code(), SPECIMEN_TYPES, fallback.display());
        return given == null ? new Specimen(type, null, null)
                : new Specimen(type, given.getCollectedAt(), given.getCollectionMethod());
    }

    /** PID-3 with the MRN first, when the profile says which repetition it is. */
    public List<Identifier> identifiers(List<Identifier> given) throws UnmappableMessageException {
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

}
