package labops.normalizer.profile;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import labops.events.OrderPriority;

/**
 * How one tenant's messages map to canonical events where hospitals differ: local test codes to LOINC, their own
 * priority codes, which patient identifier is the MRN, the specimen to assume, and what says "collect at home".
 * Absent rules leave the standard mapping as it is.
 *
 * @param testCodes        local test codes (OBR-4.1, OBX-3.1 not already LOINC) and the LOINC each means
 * @param unknownTestCodes what happens to a local test code the list does not have
 * @param priorities       local priority codes (TQ1-9, ORC-7.6, OBR-27.6) and the canonical priority each means;
 *                         checked before HL7's own table 0027
 * @param mrn              which PID-3 repetition is the medical record number; null to take PID-3 as sent
 * @param defaultSpecimen  the specimen type of an order that names none; null for none
 * @param homeCollection   what marks an order for collection at the patient's home; null for never
 * @param timeZone         the IANA time zone (e.g. {@code America/Chicago}) a time sent without an offset is read in,
 *                         as the hospital's systems mean it; null for UTC. Never this server's zone.
 */
public record MappingRules(List<TestCode> testCodes, UnknownTestCodes unknownTestCodes, List<PriorityCode> priorities,
                           Mrn mrn, Code defaultSpecimen, HomeCollection homeCollection, String timeZone) {

    /** No rules: the standard mapping only. */
    public static final MappingRules NONE = new MappingRules(List.of(), UnknownTestCodes.KEEP, List.of(), null, null,
            null, null);

    private static final Pattern LOINC = Pattern.compile("\\d{1,7}-\\d");
    private static final Pattern CODE = Pattern.compile("[^\\s|^~\\\\&]{1,64}");

    public MappingRules {
        testCodes = testCodes == null ? List.of() : List.copyOf(testCodes);
        unknownTestCodes = unknownTestCodes == null ? UnknownTestCodes.KEEP : unknownTestCodes;
        priorities = priorities == null ? List.of() : List.copyOf(priorities);
        timeZone = timeZone == null || timeZone.isBlank() ? null : timeZone.trim();
    }

    /** Rules without a time zone of their own (times without an offset read as UTC). */
    public MappingRules(List<TestCode> testCodes, UnknownTestCodes unknownTestCodes, List<PriorityCode> priorities,
                        Mrn mrn, Code defaultSpecimen, HomeCollection homeCollection) {
        this(testCodes, unknownTestCodes, priorities, mrn, defaultSpecimen, homeCollection, null);
    }

    /** The zone of {@link #timeZone()}; UTC when none is set (or, for rules saved before it was checked, unreadable). */
    public ZoneId zone() {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** A local test code and the LOINC code (with its display) it stands for. */
    public record TestCode(String local, String loinc, String display) {
    }

    /** A local test code not in the list: kept as sent, or the message dead-lettered for the tenant to fix. */
    public enum UnknownTestCodes { KEEP, DEAD_LETTER }

    /** A local priority code and the canonical priority it means. */
    public record PriorityCode(String code, String priority) {
    }

    /** The MRN is the PID-3 repetition with this identifier type (CX-5) and, when given, assigning authority (CX-4). */
    public record Mrn(String identifierType, String assigningAuthority) {
    }

    /** A coded value with its display. */
    public record Code(String code, String display) {
    }

    /**
     * An order is collected at home when {@code field} (a field of any segment, Z-segments included, e.g. {@code ZHC-1}
     * or {@code PV1-3.1}) holds {@code value} (any value when null), or when PV1-3.1 (patient location) is one of
     * {@code patientLocations}. The address is the patient's (PID-11); the window comes from the two fields, when set.
     * In FHIR, a {@code ServiceRequest.locationCode} code among {@code patientLocations} means the same.
     */
    public record HomeCollection(String field, String value, List<String> patientLocations, String windowStartField,
                                 String windowEndField) {

        public HomeCollection {
            patientLocations = patientLocations == null ? List.of() : List.copyOf(patientLocations);
        }
    }

    /** What is wrong with these rules, each naming the rule and why; empty when they can be saved. */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        if (timeZone != null && !ZoneId.getAvailableZoneIds().contains(timeZone)) {
            problems.add("timeZone: " + timeZone + " is not a time zone: use an IANA name such as America/Chicago or "
                    + "Europe/Berlin");
        }
        var locals = new HashSet<String>();
        for (int i = 0; i < testCodes.size(); i++) {
            TestCode code = testCodes.get(i);
            String at = "testCodes[" + i + "]";
            if (code == null) {
                problems.add(at + ": empty");
                continue;
            }
            if (code.local() == null || !CODE.matcher(code.local()).matches()) {
                problems.add(at + ".local: a local code is 1-64 characters without spaces or HL7 delimiters");
            } else if (!locals.add(code.local())) {
                problems.add(at + ".local: " + code.local() + " is mapped twice");
            }
            if (code.loinc() == null || !LOINC.matcher(code.loinc()).matches()) {
                problems.add(at + ".loinc: a LOINC code looks like 2345-7");
            } else if (!loincCheckDigitHolds(code.loinc())) {
                problems.add(at + ".loinc: " + code.loinc() + " fails the LOINC check digit");
            }
        }
        var priorityCodes = new HashSet<String>();
        for (int i = 0; i < priorities.size(); i++) {
            PriorityCode code = priorities.get(i);
            String at = "priorities[" + i + "]";
            if (code == null || code.code() == null || !CODE.matcher(code.code()).matches()) {
                problems.add(at + ".code: a priority code is 1-64 characters without spaces or HL7 delimiters");
                continue;
            }
            if (!priorityCodes.add(code.code())) {
                problems.add(at + ".code: " + code.code() + " is mapped twice");
            }
            if (priority(code.priority()) == null) {
                problems.add(at + ".priority: one of " + Arrays.toString(OrderPriority.values()));
            }
        }
        if (mrn != null && (mrn.identifierType() == null || !CODE.matcher(mrn.identifierType()).matches())) {
            problems.add("mrn.identifierType: the CX-5 identifier type, e.g. MR");
        }
        if (defaultSpecimen != null && (defaultSpecimen.code() == null || !CODE.matcher(defaultSpecimen.code()).matches())) {
            problems.add("defaultSpecimen.code: an HL7 table 0487 specimen type, e.g. BLD");
        }
        if (homeCollection != null) {
            if (homeCollection.field() == null && homeCollection.patientLocations().isEmpty()) {
                problems.add("homeCollection: give a field (e.g. ZHC-1) or patient locations (PV1-3.1)");
            }
            for (var field : new String[][] {{"field", homeCollection.field()},
                    {"windowStartField", homeCollection.windowStartField()},
                    {"windowEndField", homeCollection.windowEndField()}}) {
                if (field[1] != null && FieldPath.parse(field[1]) == null) {
                    problems.add("homeCollection." + field[0] + ": a segment and field like ZHC-1 or PV1-3.1");
                }
            }
        }
        return problems;
    }

    /** The canonical priority a local code means, null when the profile does not map it. */
    public OrderPriority priorityOf(String code) {
        for (PriorityCode mapped : priorities) {
            if (mapped.code().equals(code)) {
                return priority(mapped.priority());
            }
        }
        return null;
    }

    /** The LOINC mapping of a local test code, null when the profile does not have it. */
    public TestCode testCodeOf(String local) {
        for (TestCode mapped : testCodes) {
            if (mapped.local().equals(local)) {
                return mapped;
            }
        }
        return null;
    }

    private static OrderPriority priority(String name) {
        for (OrderPriority priority : OrderPriority.values()) {
            if (priority.name().equals(name)) {
                return priority;
            }
        }
        return null;
    }

    /** LOINC's mod-10 check digit: a mistyped code is caught before it reaches a hospital's chart. */
    static boolean loincCheckDigitHolds(String loinc) {
        String digits = loinc.substring(0, loinc.indexOf('-'));
        int check = loinc.charAt(loinc.length() - 1) - '0';
        int sum = 0;
        boolean doubled = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return (10 - sum % 10) % 10 == check;
    }
}
