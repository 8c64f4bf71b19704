package labops.normalizer.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    private static final Type[] NONE = new Type[0];

    private Fields() {
    }

    /**
     * Every repetition of a field as HAPI parsed it; none when absent. Read once per field: each call copies the
     * repetitions, and the readers below take several components from one repetition.
     */
    static Type[] all(Segment segment, int field) {
        if (field > segment.numFields()) {
            return NONE;
        }
        try {
            return segment.getField(field);
        } catch (HL7Exception e) {
            return NONE;
        }
    }

    /**
     * A component's value (its first subcomponent's when it has several), trimmed; null when empty or absent. Reads
     * HAPI's parsed fields without Terser, which turns a field into a composite (a deep copy) whenever a component it
     * lacks is asked for; nothing here writes.
     */
    static String component(Type repetition, int component) {
        return value(components(repetition), component);
    }

    /**
     * The components of one repetition, for reading several (each call copies them); a field without components is
     * its own first.
     */
    static Type[] components(Type repetition) {
        Type data = data(repetition);
        return data instanceof Composite composite ? composite.getComponents() : new Type[] {data};
    }

    /** Component {@code n} (from 1) of {@link #components}, as {@link #component} reads it. */
    static String value(Type[] components, int n) {
        if (n > components.length) {
            return null;
        }
        Type part = data(components[n - 1]);
        if (part instanceof Composite subcomponents) {
            Type[] parts = subcomponents.getComponents();
            part = parts.length == 0 ? null : data(parts[0]);
        }
        String value = part instanceof Primitive primitive ? primitive.getValue() : null;
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** What a generic field holds: HAPI wraps each in a Varies. */
    private static Type data(Type type) {
        return type instanceof Varies varies ? varies.getData() : type;
    }

    static String get(Segment segment, int field, int repetition, int component) {
        Type[] repetitions = all(segment, field);
        return repetition < repetitions.length ? component(repetitions[repetition], component) : null;
    }

    static String get(Segment segment, int field, int component) {
        return get(segment, field, 0, component);
    }

    static String name(Segment segment, int field) {
        return segment.getName() + "-" + field;
    }

    static Instant instant(Segment segment, int field, ZoneId zone) throws UnmappableMessageException {
        return instant(get(segment, field, 1), name(segment, field), zone);
    }

    /**
     * An HL7 TS value read from {@code field}; null for none. Without an offset the time is in {@code zone}, the
     * tenant's (its mapping profile's time zone), never this server's.
     */
    static Instant instant(String value, String field, ZoneId zone) throws UnmappableMessageException {
        if (value == null) {
            return null;
        }
        try {
            DateTime read = dateTime(value);
            return read.offset() != null ? read.local().toInstant(read.offset())
                    : read.local().atZone(zone).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            throw new UnmappableMessageException(field + " is not a valid HL7 date/time");
        }
    }

    /** The date of an HL7 DT or TS value as written; a missing month or day reads as the first. */
    static LocalDate date(Segment segment, int field) throws UnmappableMessageException {
        String value = get(segment, field, 1);
        if (value == null) {
            return null;
        }
        try {
            return dateTime(value).local().toLocalDate();
        } catch (DateTimeException | NumberFormatException e) {
            throw new UnmappableMessageException(name(segment, field) + " is not a valid HL7 date");
        }
    }

    /**
     * HL7 DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ], the parts left out read as their first value; java.time
     * checks the ranges. Not HAPI's CommonTS, whose Calendar rolls a missing month or day back (2026 read as 30
     * November 2025) and drops ten-thousandths, nor a DateTimeFormatter, at ~3 µs a value the normalizer's largest
     * cost of its own.
     */
    private static DateTime dateTime(String value) {
        int end = value.length();
        ZoneOffset offset = null;
        int sign = Math.max(value.indexOf('+'), value.indexOf('-'));
        if (sign >= 0) {
            if (end - sign != 5) {
                throw new DateTimeException("offset");
            }
            int direction = value.charAt(sign) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(direction * digits(value, sign + 1, 2),
                    direction * digits(value, sign + 3, 2));
            end = sign;
        }
        int nanos = 0;
        int dot = value.indexOf('.');
        if (dot >= 0) {
            int places = end - dot - 1;
            if (dot != 14 || places < 1 || places > 4) {
                throw new DateTimeException("fraction");
            }
            nanos = digits(value, dot + 1, places) * (int) Math.pow(10, 9 - places);
            end = dot;
        }
        if (end < 4 || end > 14 || end % 2 != 0) {
            throw new DateTimeException("length");
        }
        return new DateTime(LocalDateTime.of(digits(value, 0, 4), part(value, 4, end, 1), part(value, 6, end, 1),
                part(value, 8, end, 0), part(value, 10, end, 0), part(value, 12, end, 0), nanos), offset);
    }

    /** An HL7 date/time as written: its local part and its offset, null when it has none. */
    private record DateTime(LocalDateTime local, ZoneOffset offset) {
    }

    /** Two digits at {@code at}, or {@code absent} when the value ends before them. */
    private static int part(String value, int at, int end, int absent) {
        return at < end ? digits(value, at, 2) : absent;
    }

    private static int digits(String value, int at, int count) {
        int number = 0;
        for (int i = at; i < at + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a digit");
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    static CodedConcept coded(Segment segment, int field, int repetition) {
        Type[] repetitions = all(segment, field);
        return repetition < repetitions.length ? coded(repetitions[repetition]) : null;
    }

    /** CE/CWE: code (1), text (2), coding system (3). */
    private static CodedConcept coded(Type value) {
        Type[] ce = components(value);
        String code = value(ce, 1);
        return code == null ? null : new CodedConcept(code, system(value(ce, 3)), value(ce, 2));
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
        Type[] repetitions = all(segment, field);
        Type[] ei = repetitions.length == 0 ? NONE : components(repetitions[0]);
        String value = value(ei, 1);
        return value == null ? null : new OrderNumber(value, value(ei, 2));
    }

    /** CX identifiers: id, assigning authority (CX-4), type (CX-5). */
    static List<Identifier> identifiers(Segment segment, int field) {
        var identifiers = new ArrayList<Identifier>();
        for (Type repetition : all(segment, field)) {
            Type[] cx = components(repetition);
            String value = value(cx, 1);
            if (value != null) {
                identifiers.add(new Identifier(value, value(cx, 4), value(cx, 5)));
            }
        }
        return identifiers;
    }

    /** XPN names: family (1), given (2), further given (3), suffix (4), prefix (5), type (7). */
    static List<PersonName> names(Segment segment, int field) {
        var names = new ArrayList<PersonName>();
        for (Type repetition : all(segment, field)) {
            Type[] xpn = components(repetition);
            String family = value(xpn, 1);
            var given = new ArrayList<String>();
            addIfPresent(given, value(xpn, 2));
            addIfPresent(given, value(xpn, 3));
            if (family != null || !given.isEmpty()) {
                names.add(new PersonName(family, given, value(xpn, 5), value(xpn, 4), value(xpn, 7)));
            }
        }
        return names;
    }

    /** XCN practitioners: id (1), family (2), given (3). */
    static Provider practitioner(Segment segment, int field) {
        Type[] repetitions = all(segment, field);
        if (repetitions.length == 0) {
            return null;
        }
        Type[] xcn = components(repetitions[0]);
        String id = value(xcn, 1);
        String family = value(xcn, 2);
        String given = value(xcn, 3);
        if (id == null && family == null) {
            return null;
        }
        var name = family == null && given == null ? null
                : new PersonName(family, given == null ? List.of() : List.of(given), null, null, null);
        return new Provider(id == null ? null : new Identifier(id, value(xcn, 9), null), name, null);
    }

    private static void addIfPresent(List<String> list, String value) {
        if (value != null) {
            list.add(value);
        }
    }
}
