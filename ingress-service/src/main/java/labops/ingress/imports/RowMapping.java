package labops.ingress.imports;

import jakarta.validation.Validator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import labops.ingress.intake.ControlCharacters;
import labops.ingress.rest.OrderPointers;
import labops.schemas.rest.RestOrders;

/**
 * One row of an import read into the REST order format through the tenant's column mapping, with every reason it
 * cannot be an order, each naming its column: a date that does not read, and whatever the order format's own
 * constraints say (a missing MRN, order number or test, an unknown sex).
 */
final class RowMapping {

    /** The order a row makes, or null, and every reason against it. */
    record Mapped(RestOrders.Order order, List<String> reasons) {
    }

    private static final Map<String, String> FIELD_OF_POINTER = Map.ofEntries(Map.entry("orderNumber", "orderNumber"),
            Map.entry("patient/mrn", "mrn"), Map.entry("patient/family", "family"), Map.entry("patient/given", "given"),
            Map.entry("patient/birthDate", "birthDate"), Map.entry("patient/sex", "sex"), Map.entry("tests", "tests"),
            Map.entry("priority", "priority"), Map.entry("orderedAt", "orderedAt"), Map.entry("notes", "notes"),
            Map.entry("homeCollection/address/lines", "collectionAddress"));

    private static final List<java.util.function.BiFunction<String, DateTimeFormatter, LocalDate>> DATE_READINGS =
            List.of((value, mapped) -> LocalDate.parse(value, mapped), (value, mapped) -> LocalDate.parse(value),
                    (value, mapped) -> LocalDateTime.parse(value).toLocalDate(),
                    (value, mapped) -> Instant.parse(value).atOffset(ZoneOffset.UTC).toLocalDate());

    private final ColumnMapping mapping;
    private final List<String> header;
    private final DateTimeFormatter dates;
    private final Validator validator;

    RowMapping(ColumnMapping mapping, List<String> header, Validator validator) {
        this.mapping = mapping;
        this.header = header;
        this.dates = DateTimeFormatter.ofPattern(mapping.dateFormat());
        this.validator = validator;
    }

    /** Columns the mapping names that the file lacks: every row would fail on them. */
    List<String> missingColumns() {
        return List.of("orderNumber", "mrn", "tests").stream().filter(f -> mapping.column(f, header) == null)
                .map(f -> f + " (column '" + mapping.columns().get(f) + "')").toList();
    }

    Mapped map(Map<String, String> values) {
        var reasons = new ArrayList<String>();
        for (var value : values.entrySet()) {
            int at = value.getValue() == null ? -1 : ControlCharacters.first(value.getValue());
            if (at >= 0) {
                reasons.add("column '" + ControlCharacters.strip(value.getKey()) + "': holds "
                        + ControlCharacters.name(value.getValue().charAt(at)) + ", which Lab Ops does not accept in text");
            }
        }
        if (!reasons.isEmpty()) {
            reasons.sort(null);
            return new Mapped(null, reasons);
        }
        LocalDate birthDate = date("birthDate", values, reasons);
        LocalDate orderedOn = date("orderedAt", values, reasons);
        String sex = sex(value("sex", values));
        var given = value("given", values);
        var tests = value("tests", values) == null ? List.<RestOrders.Test>of() : Arrays.stream(value("tests", values)
                .split("[|;]")).map(String::trim).filter(code -> !code.isEmpty())
                .map(code -> new RestOrders.Test(code, mapping.testSystem(), null)).toList();
        var notes = value("notes", values);
        var home = homeCollection(values, reasons);
        if (!reasons.isEmpty()) {
            reasons.sort(null);
            return new Mapped(null, reasons);
        }
        var order = new RestOrders.Order(value("orderNumber", values), mapping.orderNumberSystem(), null,
                value("priority", values), orderedOn == null ? null : orderedOn.atStartOfDay(ZoneOffset.UTC).toInstant(),
                null, tests, null, notes == null ? null : List.of(notes),
                new RestOrders.Patient(value("mrn", values), mapping.mrnSystem(), value("family", values),
                        given == null ? null : List.of(given.split("\\s+")), birthDate, sex, null, null, null),
                home);
        for (var violation : validator.validate(order)) {
            String pointer = OrderPointers.of(violation.getPropertyPath()).substring(1).replaceAll("/\\d+$", "")
                    .replaceAll("/\\d+/.*$", "");
            String field = FIELD_OF_POINTER.getOrDefault(pointer, pointer);
            reasons.add("column '" + mapping.columns().getOrDefault(field, field) + "': " + violation.getMessage());
        }
        reasons.sort(null);
        return new Mapped(reasons.isEmpty() ? order : null, reasons);
    }

    private static final java.util.Set<String> YES = java.util.Set.of("yes", "y", "true", "1", "x", "home");
    private static final java.util.Set<String> NO = java.util.Set.of("no", "n", "false", "0", "lab", "in-lab");

    /** Home collection when the row says so (yes, y, true, 1, x, home), at its collection address if it has one. */
    private RestOrders.HomeCollection homeCollection(Map<String, String> values, List<String> reasons) {
        String flag = value("homeCollection", values);
        if (flag == null || NO.contains(flag.toLowerCase(java.util.Locale.ROOT))) {
            return null;
        }
        if (!YES.contains(flag.toLowerCase(java.util.Locale.ROOT))) {
            reasons.add("column '" + mapping.columns().get("homeCollection") + "': '" + flag
                    + "' is not yes or no");
            return null;
        }
        String address = value("collectionAddress", values);
        return new RestOrders.HomeCollection(address == null ? null
                : new RestOrders.Address(List.of(address), null, null, null, null), null, null);
    }

    private String value(String field, Map<String, String> values) {
        String column = mapping.column(field, header);
        String value = column == null ? null : values.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * A date as the mapping writes it, else an ISO date or date-time (how a spreadsheet's date cells read); a
     * date-time is taken at its date.
     */
    private LocalDate date(String field, Map<String, String> values, List<String> reasons) {
        String value = value(field, values);
        if (value == null) {
            return null;
        }
        for (var reading : DATE_READINGS) {
            try {
                return reading.apply(value, dates);
            } catch (DateTimeParseException e) {
                // the next reading may take it
            }
        }
        reasons.add("column '" + mapping.columns().get(field) + "': '" + value + "' is not a date ("
                + mapping.dateFormat() + ")");
        return null;
    }

    /** F/M/O/U and the words, in any case; anything else is left for the format's check to name. */
    private static String sex(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase()) {
            case "f", "female", "w" -> "female";
            case "m", "male" -> "male";
            case "o", "other", "d" -> "other";
            case "u", "unknown" -> "unknown";
            default -> value;
        };
    }
}
