package labops.console.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping page's form: a profile's rules as an integration engineer types them, one mapping per line
 * ({@code GLU = 1558-6 | Fasting glucose}, {@code 1 = STAT}), and the sample message to preview with.
 */
record ProfileForm(String testCodes, String unknownTestCodes, String priorities, String mrnType, String mrnAuthority,
                   String specimenCode, String specimenDisplay, String homeField, String homeValue,
                   String homeLocations, String windowStartField, String windowEndField, String timeZone,
                   String sample) {

    /** The rules as the normalizer's API takes them, and the lines that could not be read. */
    record Rules(Map<String, Object> json, List<String> problems) {
    }

    Rules rules() {
        var problems = new ArrayList<String>();
        var json = new LinkedHashMap<String, Object>();
        var codes = new ArrayList<Map<String, Object>>();
        lines(testCodes, "test codes", problems, (local, rest) -> {
            String[] loincAndDisplay = rest.split("\\|", 2);
            var code = new LinkedHashMap<String, Object>();
            code.put("local", local);
            code.put("loinc", loincAndDisplay[0].trim());
            code.put("display", loincAndDisplay.length > 1 && !loincAndDisplay[1].isBlank()
                    ? loincAndDisplay[1].trim() : null);
            codes.add(code);
        });
        json.put("testCodes", codes);
        json.put("unknownTestCodes", "DEAD_LETTER".equals(unknownTestCodes) ? "DEAD_LETTER" : "KEEP");
        var priorityCodes = new ArrayList<Map<String, Object>>();
        lines(priorities, "priority codes", problems, (code, priority) -> priorityCodes.add(Map.of("code", code,
                "priority", priority.toUpperCase())));
        json.put("priorities", priorityCodes);
        if (present(mrnType) || present(mrnAuthority)) {
            json.put("mrn", object("identifierType", mrnType, "assigningAuthority", mrnAuthority));
        }
        if (present(specimenCode) || present(specimenDisplay)) {
            json.put("defaultSpecimen", object("code", specimenCode, "display", specimenDisplay));
        }
        List<String> locations = present(homeLocations)
                ? Arrays.stream(homeLocations.split("[,\\s]+")).filter(s -> !s.isBlank()).toList() : List.of();
        if (present(homeField) || !locations.isEmpty()) {
            var home = object("field", homeField, "value", homeValue, "windowStartField", windowStartField,
                    "windowEndField", windowEndField);
            home.put("patientLocations", locations);
            json.put("homeCollection", home);
        }
        if (present(timeZone)) {
            json.put("timeZone", timeZone.trim());
        }
        return new Rules(json, problems);
    }

    /** The form showing saved rules (the normalizer's JSON). */
    @SuppressWarnings("unchecked")
    static ProfileForm of(Map<String, Object> rules, String sample) {
        var codes = new StringBuilder();
        for (var code : (List<Map<String, Object>>) rules.getOrDefault("testCodes", List.of())) {
            codes.append(code.get("local")).append(" = ").append(code.get("loinc"));
            if (code.get("display") != null) {
                codes.append(" | ").append(code.get("display"));
            }
            codes.append('\n');
        }
        var priorities = new StringBuilder();
        for (var code : (List<Map<String, Object>>) rules.getOrDefault("priorities", List.of())) {
            priorities.append(code.get("code")).append(" = ").append(code.get("priority")).append('\n');
        }
        var mrn = map(rules.get("mrn"));
        var specimen = map(rules.get("defaultSpecimen"));
        var home = map(rules.get("homeCollection"));
        var locations = (List<String>) home.getOrDefault("patientLocations", List.of());
        return new ProfileForm(codes.toString(), String.valueOf(rules.getOrDefault("unknownTestCodes", "KEEP")),
                priorities.toString(), text(mrn.get("identifierType")), text(mrn.get("assigningAuthority")),
                text(specimen.get("code")), text(specimen.get("display")), text(home.get("field")),
                text(home.get("value")), String.join(", ", locations), text(home.get("windowStartField")),
                text(home.get("windowEndField")), text(rules.get("timeZone")), sample);
    }

    private interface Line {
        void accept(String key, String value);
    }

    private static void lines(String text, String what, List<String> problems, Line line) {
        if (text == null) {
            return;
        }
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals == trimmed.length() - 1) {
                problems.add(what + ", line " + (i + 1) + ": write it as code = meaning");
                continue;
            }
            line.accept(trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim());
        }
    }

    private static LinkedHashMap<String, Object> object(String... keysAndValues) {
        var object = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put(keysAndValues[i], present(keysAndValues[i + 1]) ? keysAndValues[i + 1].trim() : null);
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
