package labops.ingress.hl7;

import java.util.ArrayList;
import java.util.List;

/**
 * What ingress needs from an ER7 message, read structurally without HAPI: the MSH fields (for the checks, the header
 * contract and the ACK), the segment names in order (required segments), and PID-3's first identifier (the
 * partition key's input). The full parse is the normalizer's. Senders separate segments with CR, CRLF or LF.
 */
record Er7Header(char fieldSeparator, String encodingCharacters, String[] msh, List<String> segments,
                 String patientId) {

    /** Why a message cannot even be answered from its header. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads {@code text}; {@link Unreadable} when there is no MSH segment or it lacks its delimiters. */
    static Er7Header read(String text) throws Unreadable {
        if (!text.startsWith("MSH")) {
            throw new Unreadable("not an HL7 v2 message: it must start with an MSH segment");
        }
        if (text.length() < 8) {
            throw new Unreadable("MSH segment cannot be read");
        }
        char field = text.charAt(3);
        int encodingEnd = text.indexOf(field, 4);
        int firstEnd = segmentEnd(text, 0);
        if (Character.isLetterOrDigit(field) || Character.isWhitespace(field)) {
            throw new Unreadable("MSH-1 (field separator) must be a delimiter, not a letter, digit or space");
        }
        if (encodingEnd < 0 || encodingEnd > firstEnd) {
            throw new Unreadable("MSH segment cannot be read: it has no fields after MSH-2");
        }
        String encoding = text.substring(4, encodingEnd);
        if (encoding.length() < 2 || encoding.chars().distinct().count() != encoding.length()
                || encoding.chars().anyMatch(Character::isLetterOrDigit)) {
            throw new Unreadable("MSH-2 (encoding characters) must be distinct delimiters, "
                    + "component and repetition separator at least (usually ^~\\&)");
        }
        String[] msh = split(text.substring(0, firstEnd), field);
        var segments = new ArrayList<String>();
        String patientId = null;
        for (int start = 0; start < text.length(); ) {
            int end = segmentEnd(text, start);
            if (end - start >= 3) {
                String name = text.substring(start, start + 3);
                segments.add(name);
                if (patientId == null && name.equals("PID")) {
                    patientId = patientId(text.substring(start, end), field, encoding);
                }
            }
            start = nextSegment(text, end);
        }
        return new Er7Header(field, encoding, msh, List.copyOf(segments), patientId);
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
        String[] components = split(value, encodingCharacters.charAt(0));
        return c - 1 < components.length ? components[c - 1].trim() : "";
    }

    /** {@code MSH-9.1^MSH-9.2}, e.g. ORM^O01. */
    String messageType() {
        return component(9, 1) + "^" + component(9, 2);
    }

    String controlId() {
        return component(10, 1);
    }

    private static String patientId(String pid, char field, String encoding) {
        String[] fields = split(pid, field);
        if (fields.length < 4) {
            return null;
        }
        String first = split(fields[3], encoding.length() > 1 ? encoding.charAt(1) : '~')[0];
        String id = split(first, encoding.charAt(0))[0].trim();
        return id.isEmpty() ? null : id;
    }

    /** Where the segment after the one ending at {@code end} starts: past CR, CRLF, LF and blank lines. */
    static int nextSegment(String text, int end) {
        int start = end;
        while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
            start++;
        }
        return start;
    }

    static int segmentEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return text.length();
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
