package labops.normalizer.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.primitive.CommonDT;
import ca.uhn.hl7v2.model.primitive.CommonTS;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import labops.events.CodedConcept;
import labops.events.Identifier;
import labops.events.OrderNumber;
import labops.events.PersonName;
import labops.events.Provider;
import labops.normalizer.raw.UnmappableMessageException;

/**
 * Reads HL7 v2 fields by position (segment, field, repetition, component), the same way for every
 * version from 2.3 to 2.5.1. Error messages name the field, never its value.
 */
final class Fields {

    /** HL7 coding-system names (table 0396) to the URIs FHIR and analytics use. */
    private static final Map<String, String> CODE_SYSTEMS = Map.of(
            "LN", "http://loinc.org",
            "SCT", "http://snomed.info/sct",
            "SNM", "http://snomed.info/sct",
            "UCUM", "http://unitsofmeasure.org");

    private Fields() {
    }

    /**
     * The component's value (its first subcomponent's when it has several), trimmed; null when empty or absent.
     * Reads HAPI's parsed fields without Terser, which turns a field into a composite (a deep copy) whenever a
     * component it lacks is asked for, and nothing here writes.
     */
    static String get(Segment segment, int field, int repetition, int component) {
        Type[] repetitions;
        try {
            repetitions = segment.getField(field);
        } catch (HL7Exception e) {
            return null;
        }
        if (repetition >= repetitions.length) {
            return null;
        }
        Type part = part(repetitions[repetition], component);
        if (part instanceof Composite subcomponents) {
            part = part(subcomponents, 1);
        }
        String value = part instanceof Primitive primitive ? primitive.getValue() : null;
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Component {@code n} (from 1) of a field; a field without components is its own first component. */
    private static Type part(Type type, int n) {
        Type data = type instanceof Varies varies ? varies.getData() : type;
        if (data instanceof Composite composite) {
            Type[] components = composite.getComponents();
            return n > components.length ? null
                    : components[n - 1] instanceof Varies varies ? varies.getData() : components[n - 1];
        }
        return n == 1 ? data : null;
    }

    static String get(Segment segment, int field, int component) {
        return get(segment, field, 0, component);
    }

    static int repetitions(Segment segment, int field) {
        try {
            return segment.getField(field).length;
        } catch (HL7Exception e) {
            return 0;
        }
    }

    static String name(Segment segment, int field) {
        return segment.getName() + "-" + field;
    }

    static Instant instant(Segment segment, int field) throws UnmappableMessageException {
        return instant(get(segment, field, 1), name(segment, field));
    }

    /** An HL7 TS value read from {@code field}; null for none. */
    static Instant instant(String value, String field) throws UnmappableMessageException {
        if (value == null) {
            return null;
        }
        try {
            // Without an offset HAPI reads the time in this server's zone.
            return new CommonTS(value).getValueAsCalendar().toInstant();
        } catch (HL7Exception | RuntimeException e) {
            throw new UnmappableMessageException(field + " is not a valid HL7 date/time");
        }
    }

    static LocalDate date(Segment segment, int field) throws UnmappableMessageException {
        String value = get(segment, field, 1);
        if (value == null) {
            return null;
        }
        try {
            String datePart = value.length() > 8 ? value.substring(0, 8) : value;
            var dt = new CommonDT(datePart);
            return LocalDate.of(dt.getYear(), Math.max(dt.getMonth(), 1), Math.max(dt.getDay(), 1));
        } catch (HL7Exception | RuntimeException e) {
            throw new UnmappableMessageException(name(segment, field) + " is not a valid HL7 date");
        }
    }

    static CodedConcept coded(Segment segment, int field, int repetition) {
        String code = get(segment, field, repetition, 1);
        if (code == null) {
            return null;
        }
        return new CodedConcept(code, system(get(segment, field, repetition, 3)), get(segment, field, repetition, 2));
    }

    /** Table 0396 names to URIs; an HL7 table (HL7nnnn) to its terminology.hl7.org code system. */
    private static String system(String name) {
        if (name == null) {
            return null;
        }
        if (name.length() == 7 && name.startsWith("HL7") && name.substring(3).chars().allMatch(Character::isDigit)) {
            return "http://terminology.hl7.org/CodeSystem/v2-" + name.substring(3);
        }
        return CODE_SYSTEMS.getOrDefault(name, name);
    }

    static OrderNumber orderNumber(Segment segment, int field) {
        String value = get(segment, field, 1);
        return value == null ? null : new OrderNumber(value, get(segment, field, 2));
    }

    /** CX identifiers: id, assigning authority (CX-4), type (CX-5). */
    static List<Identifier> identifiers(Segment segment, int field) {
        var identifiers = new ArrayList<Identifier>();
        for (int rep = 0; rep < repetitions(segment, field); rep++) {
            String value = get(segment, field, rep, 1);
            if (value != null) {
                identifiers.add(new Identifier(value, get(segment, field, rep, 4), get(segment, field, rep, 5)));
            }
        }
        return identifiers;
    }

    /** XPN names: family (1), given (2), further given (3), suffix (4), prefix (5), type (7). */
    static List<PersonName> names(Segment segment, int field) {
        var names = new ArrayList<PersonName>();
        for (int rep = 0; rep < repetitions(segment, field); rep++) {
            String family = get(segment, field, rep, 1);
            var given = new ArrayList<String>();
            addIfPresent(given, get(segment, field, rep, 2));
            addIfPresent(given, get(segment, field, rep, 3));
            if (family != null || !given.isEmpty()) {
                names.add(new PersonName(family, given, get(segment, field, rep, 5), get(segment, field, rep, 4),
                        get(segment, field, rep, 7)));
            }
        }
        return names;
    }

    /** XCN practitioners: id (1), family (2), given (3). */
    static Provider practitioner(Segment segment, int field) {
        String id = get(segment, field, 1);
        String family = get(segment, field, 2);
        String given = get(segment, field, 3);
        if (id == null && family == null) {
            return null;
        }
        var name = family == null && given == null ? null
                : new PersonName(family, given == null ? List.of() : List.of(given), null, null, null);
        return new Provider(id == null ? null : new Identifier(id, get(segment, field, 9), null), name, null);
    }

    private static void addIfPresent(List<String> list, String value) {
        if (value != null) {
            list.add(value);
        }
    }
}
