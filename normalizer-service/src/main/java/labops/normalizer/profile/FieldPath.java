package labops.normalizer.profile;

import java.util.regex.Pattern;
import labops.schemas.Er7;

/**
 * A field of an HL7 v2 segment, Z-segments included ({@code ZHC-1}, {@code PV1-3.1}), read from the message text
 * itself: a Z-segment has no structure HAPI knows, and the profile's fields are few.
 */
public record FieldPath(String segment, int field, int component) {

    private static final Pattern PATH = Pattern.compile("([A-Z][A-Z0-9]{2})-(\\d{1,3})(?:\\.(\\d{1,2}))?");

    /** The path, or null when the text is not one. */
    public static FieldPath parse(String text) {
        var matcher = PATH.matcher(text.trim());
        if (!matcher.matches() || Integer.parseInt(matcher.group(2)) == 0) {
            return null;
        }
        return new FieldPath(matcher.group(1), Integer.parseInt(matcher.group(2)),
                matcher.group(3) == null ? 1 : Math.max(1, Integer.parseInt(matcher.group(3))));
    }

    /**
     * The value in the first such segment of an ER7 message (framed as {@link Er7} reads it), its delimiters' escape
     * sequences decoded as HAPI decodes every other field the normalizer reads, trimmed; null when empty or when the
     * message's delimiters cannot be read.
     */
    public String read(String message) {
        if (!message.startsWith("MSH")) {
            return null;
        }
        Er7 delimiters;
        try {
            delimiters = Er7.delimiters(message);
        } catch (Er7.Unreadable unreadable) {
            return null;
        }
        char fieldSeparator = delimiters.field();
        char componentSeparator = delimiters.component();
        char repetitionSeparator = delimiters.repetition();
        for (String line : Er7.segments(message)) {
            if (line.length() > 3 && line.startsWith(segment) && line.charAt(3) == fieldSeparator) {
                // MSH-1 is the separator itself: MSH's fields are one position to the left of every other segment's.
                String[] fields = line.split(Pattern.quote(String.valueOf(fieldSeparator)), -1);
                int index = segment.equals("MSH") ? field - 1 : field;
                if (index >= fields.length) {
                    return null;
                }
                String value = fields[index];
                int repetition = value.indexOf(repetitionSeparator);
                value = repetition >= 0 ? value.substring(0, repetition) : value;
                String[] components = value.split(Pattern.quote(String.valueOf(componentSeparator)), -1);
                String read = component <= components.length
                        ? delimiters.unescape(components[component - 1]).trim() : "";
                return read.isEmpty() ? null : read;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return segment + "-" + field + (component > 1 ? "." + component : "");
    }
}
