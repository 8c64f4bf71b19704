package labops.workflow;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import labops.platform.web.Problems;
import org.springframework.http.HttpStatus;

/** Days received, both included, in UTC, as exports and reports take them; {@code to} is today when not given. */
public record DayRange(LocalDate from, LocalDate to) {

    public DayRange(String from, String to) {
        this(day("from", from), to == null || to.isBlank() ? LocalDate.now(ZoneOffset.UTC) : day("to", to));
    }

    public DayRange {
        if (to.isBefore(from)) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "to (" + to + ") is before from (" + from + ")");
        }
    }

    public Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static LocalDate day(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.of(HttpStatus.BAD_REQUEST, name + ": '" + value + "' is not a date (yyyy-mm-dd)");
        }
    }

    @Override
    public String toString() {
        return from + " to " + to;
    }
}
