package labops.ingress.imports;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which column of a tenant's files holds what, saved per tenant environment: each order field names a column
 * (matched without regard to case or surrounding blanks), {@code dateFormat} reads dates (a
 * {@link DateTimeFormatter} pattern, e.g. {@code dd.MM.yyyy}), and the systems of its MRNs, order numbers and test
 * codes (a test code without system goes through the tenant's mapping profile as a local code).
 *
 * @param columns    order field → column name; fields: orderNumber, mrn, family, given, birthDate, sex, tests,
 *                   priority, orderedAt, notes, homeCollection (yes/no: collected at the patient's home),
 *                   collectionAddress (where, on one line, when not the patient's own address)
 * @param dateFormat how dates are written (birthDate, orderedAt)
 */
public record ColumnMapping(Map<String, String> columns, String dateFormat, String mrnSystem,
                            String orderNumberSystem, String testSystem) {

    public static final List<String> FIELDS = List.of("orderNumber", "mrn", "family", "given", "birthDate", "sex",
            "tests", "priority", "orderedAt", "notes", "homeCollection", "collectionAddress");

    /** Columns named like the fields, ISO dates. */
    public static final ColumnMapping DEFAULT = new ColumnMapping(Map.ofEntries(Map.entry("orderNumber", "order_number"),
            Map.entry("mrn", "mrn"), Map.entry("family", "family_name"), Map.entry("given", "given_name"),
            Map.entry("birthDate", "birth_date"), Map.entry("sex", "sex"), Map.entry("tests", "tests"),
            Map.entry("priority", "priority"), Map.entry("orderedAt", "ordered_at"), Map.entry("notes", "notes"),
            Map.entry("homeCollection", "home_collection"), Map.entry("collectionAddress", "collection_address")),
            "yyyy-MM-dd", null, null, null);

    public ColumnMapping {
        columns = columns == null ? Map.of() : Map.copyOf(columns);
        dateFormat = dateFormat == null || dateFormat.isBlank() ? "yyyy-MM-dd" : dateFormat;
    }

    /** What is wrong with this mapping; empty when it can be saved. */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        for (String field : columns.keySet()) {
            if (!FIELDS.contains(field)) {
                problems.add("columns." + field + ": not an order field (" + String.join(", ", FIELDS) + ")");
            }
        }
        for (String required : List.of("orderNumber", "mrn", "tests")) {
            if (columns.get(required) == null || columns.get(required).isBlank()) {
                problems.add("columns." + required + ": required");
            }
        }
        try {
            DateTimeFormatter.ofPattern(dateFormat);
        } catch (IllegalArgumentException e) {
            problems.add("dateFormat: not a date pattern (" + e.getMessage() + ")");
        }
        return problems;
    }

    /** The column of {@code field} as written in the file's header, or null when the file has none. */
    String column(String field, List<String> header) {
        String wanted = columns.get(field);
        if (wanted == null) {
            return null;
        }
        return header.stream().filter(h -> h.trim().equalsIgnoreCase(wanted.trim())).findFirst().orElse(null);
    }
}
