package labops.ingress.intake;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The C0 control characters that no text Lab Ops takes in may hold: every channel refuses them where they enter,
 * naming the field (CR, LF and TAB are text). No format needs them (HL7 v2 escapes, JSON and FHIR strings exclude them,
 * binary data travels base64), PostgreSQL cannot store a NUL, and a byte like that in an id is how one sender once
 * stopped every consumer. What is refused is never echoed: a reason names the field and the character's code.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** Where the first control character in {@code text} is, or -1. */
    public static int first(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} without its control characters: only to answer a sender that sent some, never to store. */
    public static String strip(CharSequence text) {
        var kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!isControl(text.charAt(i))) {
                kept.append(text.charAt(i));
            }
        }
        return kept.toString();
    }

    /** "control character 0x00": how a reason names one. */
    public static String name(char c) {
        return "control character 0x%02X".formatted((int) c);
    }

    /**
     * The first string in {@code tree} (a member's name or a value) that holds a control character, as a JSON Pointer
     * with what it holds, or empty.
     */
    public static Optional<Found> in(JsonNode tree) {
        return in(tree, "");
    }

    /** A control character found in a JSON document: where (JSON Pointer) and which. */
    public record Found(String pointer, char character) {

        public String detail() {
            return "holds " + name(character) + ", which Lab Ops does not accept in text";
        }
    }

    private static Optional<Found> in(JsonNode node, String pointer) {
        if (node.isString()) {
            int at = first(node.stringValue());
            return at < 0 ? Optional.empty() : Optional.of(new Found(pointer, node.stringValue().charAt(at)));
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var found = in(node.get(i), pointer + "/" + i);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String name = member.getKey();
                String path = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                int at = first(name);
                if (at >= 0) {
                    return Optional.of(new Found(pointer + "/" + strip(name), name.charAt(at)));
                }
                var found = in(member.getValue(), path);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\r' && c != '\n' && c != '\t';
    }
}
