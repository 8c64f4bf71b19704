package labops.schemas;

import java.util.regex.Pattern;

/**
 * Text that a spreadsheet must show as text. A CSV cell starting with {@code =}, {@code +}, {@code -}, {@code @}, TAB
 * or CR is a formula to Excel, LibreOffice and Google Sheets, so a sender's order number of
 * {@code =HYPERLINK("http://evil.example","x")} would become a live link in a lab's export (OWASP, "CSV Injection").
 * Every CSV Lab Ops writes (exports, import reports, templates) passes its cells through here: such a cell gets a
 * leading apostrophe, which spreadsheets take as "text follows". A plain number ({@code -5}, {@code +1.5}) is left
 * alone: it evaluates to itself, and results carry negative values.
 */
public final class SpreadsheetCells {

    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

    private SpreadsheetCells() {
    }

    /** {@code value} as a cell no spreadsheet evaluates; null and empty stay as they are. */
    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return formula && !NUMBER.matcher(value).matches() ? "'" + value : value;
    }
}
