package labops.ingress.hl7;

import java.util.ArrayList;
import java.util.List;
import labops.schemas.Er7;

/**
 * What ingress needs from an ER7 message, read structurally without HAPI: the MSH fields (for the checks, the header
 * contract and the ACK), the segment names in order (required segments), and PID-3's first identifier (the
 * partition key's input). The full parse is the normalizer's. Senders separate segments with CR, CRLF or LF.
 */
record Er7Header(char fieldSeparator, String encodingCharacters, String[] msh, List<String> segments,
                 String patientId) {

    /** Reads {@code text}; {@link Er7.Unreadable} when there is no MSH segment or it lacks its delimiters. */
    static Er7Header read(String text) throws Er7.Unreadable {
        if (!text.startsWith("MSH")) {
            throw new Er7.Unreadable("not an HL7 v2 message: it must start with an MSH segment");
        }
        Er7 delimiters = Er7.delimiters(text);
        char field = delimiters.field();
        String encoding = delimiters.encodingCharacters();
        int firstEnd = Er7.segmentEnd(text, 0);
        String[] msh = split(text.substring(0, firstEnd), field);
        var segments = new ArrayList<String>();
        String patientId = null;
        for (int start = 0; start < text.length(); ) {
            int end = Er7.segmentEnd(text, start);
            if (end - start >= 3) {
                String name = text.substring(start, start + 3);
                segments.add(name);
                if (patientId == null && name.equals("PID")) {
                    patientId = patientId(text, start, end, field, encoding);
                }
            }
            start = Er7.nextSegment(text, end);
        }
        return new Er7Header(field, encoding, msh, List.copyOf(segments), patientId);
    }

    /**
     * The field position {@code index} of {@code text} is in, as HL7 names it: {@code PID-5}, {@code MSH-10} (MSH-1 is
     * the field separator itself), or the segment by its number while still in its name (which then holds what
     * {@code index} points at, and is not repeated to the sender).
     */
    String fieldAt(String text, int index) {
        int start = index;
        while (start > 0 && text.charAt(start - 1) != '\r' && text.charAt(start - 1) != '\n') {
            start--;
        }
        String segment = text.substring(start, Math.min(start + 3, text.length()));
        int separators = 0;
        for (int i = start; i < index; i++) {
            if (text.charAt(i) == fieldSeparator) {
                separators++;
            }
        }
        // Within the segment's first three characters (its name, even where a delimiter stands among them: the fuzz
        // suite sent "|<NUL>-"), the name itself would carry what index points at: the segment is named by number.
        if (separators == 0 || index < start + 3) {
            int number = 1;
            for (int i = 0; i < start; i = Er7.nextSegment(text, Er7.segmentEnd(text, i))) {
                number++;
            }
            return "the name of segment " + number;
        }
        return segment + "-" + (segment.equals("MSH") ? separators + 1 : separators);
    }

    /** MSH-{@code n} as sent, or "" (MSH-1 is the field separator, MSH-2 the encoding characters). */
    String field(int n) {
        if (n == 1) {
            return String.valueOf(fieldSeparator);
        }
        return n - 1 < msh.length ? msh[n - 1] : "";
    }

    /** Component {@code c} (1-based) of MSH-{@code n}, trimmed, or "". */
    String component(int n, int c) {
        String value = field(n);
        return part(value, 0, value.length(), encodingCharacters.charAt(0), c).trim();
    }

    /** {@code MSH-9.1^MSH-9.2}, e.g. ORM^O01. */
    String messageType() {
        return component(9, 1) + "^" + component(9, 2);
    }

    String controlId() {
        return component(10, 1);
    }

    /** PID-3's first repetition's first component, read in place: the patient's identifier, or null. */
    private static String patientId(String text, int start, int end, char field, String encoding) {
        int from = start;
        for (int n = 0; n < 3; n++) {
            from = text.indexOf(field, from);
            if (from < 0 || from >= end) {
                return null;
            }
            from++;
        }
        int to = text.indexOf(field, from);
        to = to < 0 || to > end ? end : to;
        String first = part(text, from, to, encoding.charAt(1), 1);
        String id = part(first, 0, first.length(), encoding.charAt(0), 1).trim();
        return id.isEmpty() ? null : id;
    }

    /** Part {@code n} (from 1) of {@code text} between {@code from} and {@code to}, cut at {@code separator}, or "". */
    private static String part(String text, int from, int to, char separator, int n) {
        int start = from;
        for (int i = 1; i < n; i++) {
            int next = text.indexOf(separator, start);
            if (next < 0 || next >= to) {
                return "";
            }
            start = next + 1;
        }
        int end = text.indexOf(separator, start);
        return text.substring(start, end < 0 || end > to ? to : end);
    }

    static String[] split(String value, char separator) {
        var parts = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == separator) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        return parts.toArray(String[]::new);
    }
}
