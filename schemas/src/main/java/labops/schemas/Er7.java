package labops.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * The ER7 encoding's framing as Lab Ops reads it, one reading shared by ingress (which acknowledges a message), the
 * normalizer (which maps it), mapping-profile field paths and {@code labops send}, so that what ingress acknowledges
 * the normalizer can read. A message starts with MSH (a batch with FHS or BHS); MSH-1 is the field separator, a
 * delimiter (not a letter, digit or whitespace); MSH-2 holds four distinct delimiters, component, repetition, escape
 * and subcomponent (v2.7 adds a fifth, truncation); segments end with CR, CRLF or LF, blank lines and indents
 * skipped.
 *
 * @param field              the field separator (MSH-1)
 * @param encodingCharacters MSH-2 as sent
 */
public record Er7(char field, String encodingCharacters) {

    /** Why a message's framing cannot be read, naming the field; never quoting what was sent. */
    public static final class Unreadable extends Exception {
        public Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    public char component() {
        return encodingCharacters.charAt(0);
    }

    public char repetition() {
        return encodingCharacters.charAt(1);
    }

    public char escape() {
        return encodingCharacters.charAt(2);
    }

    public char subcomponent() {
        return encodingCharacters.charAt(3);
    }

    /** The delimiters {@code text}'s header segment (MSH, FHS or BHS) declares. */
    public static Er7 delimiters(String text) throws Unreadable {
        String name = text.length() < 3 ? text : text.substring(0, 3);
        if (!name.equals("MSH") && !name.equals("FHS") && !name.equals("BHS")) {
            throw new Unreadable("not an HL7 v2 message: it must start with an MSH segment");
        }
        if (text.length() < 8) {
            throw new Unreadable(name + " segment cannot be read");
        }
        char field = text.charAt(3);
        if (Character.isLetterOrDigit(field) || Character.isWhitespace(field) || Character.isISOControl(field)) {
            throw new Unreadable(name + "-1 (field separator) must be a delimiter, not a letter, digit or space");
        }
        int encodingEnd = text.indexOf(field, 4);
        if (encodingEnd < 0 || encodingEnd > segmentEnd(text, 0)) {
            throw new Unreadable(name + " segment cannot be read: it has no fields after " + name + "-2");
        }
        String encoding = text.substring(4, encodingEnd);
        if (encoding.length() < 4 || encoding.length() > 5 || !distinctDelimiters(encoding, field)) {
            throw new Unreadable(name + "-2 (encoding characters) must be four distinct delimiters, component, "
                    + "repetition, escape and subcomponent (usually ^~\\&), a fifth for truncation from v2.7");
        }
        return new Er7(field, encoding);
    }

    /** The segments of {@code text} in order, without their terminators; blank lines are not segments. */
    public static List<String> segments(String text) {
        var segments = new ArrayList<String>();
        for (int start = nextSegment(text, 0); start < text.length(); ) {
            int end = segmentEnd(text, start);
            segments.add(text.substring(start, end));
            start = nextSegment(text, end);
        }
        return segments;
    }

    /** Where the segment starting at {@code from} ends: at its CR or LF, or at the end of {@code text}. */
    public static int segmentEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return text.length();
    }

    /** Where the segment after the one ending at {@code end} starts: past CR, CRLF, LF, blank lines and indents. */
    public static int nextSegment(String text, int end) {
        int start = end;
        while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n'
                || start > 0 && (text.charAt(start) == ' ' || text.charAt(start) == '\t'))) {
            start++;
        }
        return start;
    }

    /**
     * {@code text} as an ER7 value: each delimiter as its escape sequence ({@code \F\ \S\ \R\ \T\ \E\}), CR and
     * LF as spaces, so that no text can break the message's structure.
     */
    public String escape(String text) {
        var out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char code = c == escape() ? 'E' : c == field ? 'F' : c == component() ? 'S' : c == repetition() ? 'R'
                    : c == subcomponent() ? 'T' : 0;
            if (code != 0) {
                out.append(escape()).append(code).append(escape());
            } else {
                out.append(c == '\r' || c == '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }

    /**
     * An ER7 value with its delimiters' escape sequences decoded ({@code \F\ \S\ \R\ \T\ \E\}, and v2.7's
     * truncation {@code \P\}), as HAPI's parser decodes them for the normalizer. Others (hexadecimal data
     * {@code \Xhh\}, formatting such as {@code \.br\}, local {@code \Z..\}) are kept as sent, as HAPI keeps them:
     * none can become a control character here.
     */
    public String unescape(String value) {
        int next = value.indexOf(escape());
        if (next < 0) {
            return value;
        }
        var out = new StringBuilder(value.length());
        int from = 0;
        while (next >= 0) {
            int end = value.indexOf(escape(), next + 1);
            Character decoded = end == next + 2 ? delimiter(value.charAt(next + 1)) : null;
            if (decoded == null) {
                // Not a delimiter's sequence: kept, and the search goes on after its escape character.
                out.append(value, from, next + 1);
                from = next + 1;
                next = value.indexOf(escape(), from);
                continue;
            }
            out.append(value, from, next).append(decoded.charValue());
            from = end + 1;
            next = value.indexOf(escape(), from);
        }
        return out.append(value, from, value.length()).toString();
    }

    private Character delimiter(char code) {
        return switch (code) {
            case 'F' -> field;
            case 'S' -> component();
            case 'R' -> repetition();
            case 'E' -> escape();
            case 'T' -> subcomponent();
            case 'P' -> encodingCharacters.length() > 4 ? encodingCharacters.charAt(4) : null;
            default -> null;
        };
    }

    /** No letter, digit, whitespace or control character, none twice, none the field separator. */
    private static boolean distinctDelimiters(String encoding, char field) {
        for (int i = 0; i < encoding.length(); i++) {
            char c = encoding.charAt(i);
            if (Character.isLetterOrDigit(c) || Character.isWhitespace(c) || Character.isISOControl(c) || c == field
                    || encoding.indexOf(c, i + 1) >= 0) {
                return false;
            }
        }
        return true;
    }
}
