package labops.normalizer.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.GenericComposite;
import ca.uhn.hl7v2.model.GenericPrimitive;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escaping;
import ca.uhn.hl7v2.parser.PipeParser;
import java.util.Set;

/**
 * HAPI's pipe parser, filling a generic segment's fields in one pass each. HAPI's own field parse places each
 * subcomponent through {@code Terser.getPrimitive}: every call copies the composite's component list to count it, and
 * the second component turns the field from a primitive into a composite by deep-copying what was set so far; with its
 * tokenizer-based splits that was a third of the normalizer's listener thread. This builds the model HAPI's parse
 * builds: a {@link Varies} holding a {@link GenericPrimitive}, or a {@link GenericComposite} of such when the field has
 * a second component or its first has subcomponents (a component with subcomponents likewise); empty components before
 * a later one exist, trailing ones do not, and a field of empty components stays an empty primitive. Values go through
 * HAPI's escaping. Any other field (a typed one, or one already holding a value) is left to HAPI.
 * {@code GenericFieldParserTest} holds it to HAPI's result on the samples and on random segments.
 */
final class GenericFieldParser extends PipeParser {

    private static final String[] NONE = new String[0];
    /** The segments that define the separators: their first fields are not split. */
    private static final Set<String> DELIMITER_SEGMENTS = Set.of("MSH", "FHS", "BHS");

    GenericFieldParser(HapiContext context) {
        super(context);
    }

    /**
     * A generic segment other than MSH (whose MSH-1 and MSH-2 HAPI sets apart): its fields and repetitions split as
     * HAPI splits them, each filled by {@link #parse(Type, String, EncodingCharacters)}. A failure names the segment
     * and field as HAPI's does.
     */
    @Override
    public void parse(Segment segment, String text, EncodingCharacters encoding, int repetition) throws HL7Exception {
        if (!(segment instanceof GenericSegment) || DELIMITER_SEGMENTS.contains(segment.getName())) {
            super.parse(segment, text, encoding, repetition);
            return;
        }
        String[] fields = split(text, encoding.getFieldSeparator());
        for (int i = 1; i < fields.length; i++) {
            String[] repetitions = split(fields[i], encoding.getRepetitionSeparator());
            for (int j = 0; j < repetitions.length; j++) {
                try {
                    parse(segment.getField(i, j), repetitions[j], encoding);
                } catch (HL7Exception e) {
                    e.setFieldPosition(i);
                    if (repetition > 1) {
                        e.setSegmentRepetition(repetition);
                    }
                    e.setSegmentName(segment.getName());
                    throw e;
                }
            }
        }
    }

    @Override
    public void parse(Type field, String data, EncodingCharacters encoding) throws HL7Exception {
        if (!(field instanceof Varies varies) || !(varies.getData() instanceof GenericPrimitive primitive)
                || primitive.getValue() != null) {
            super.parse(field, data, encoding);
            return;
        }
        Escaping escaping = getParserConfiguration().getEscaping();
        char subcomponentSeparator = encoding.getSubcomponentSeparator();
        String[] components = split(data, encoding.getComponentSeparator());
        int last = components.length - 1;
        while (last >= 0 && components[last] == null) {
            last--;
        }
        if (last < 0) {
            return;
        }
        String[] first = split(components[0], subcomponentSeparator);
        if (last == 0 && first.length == 1) {
            primitive.setValue(unescape(first[0], escaping, encoding));
            return;
        }
        Message message = varies.getMessage();
        var composite = new GenericComposite(message);
        varies.setData(composite);
        for (int i = 0; i <= last; i++) {
            String[] subcomponents = i == 0 ? first : split(components[i], subcomponentSeparator);
            if (subcomponents.length == 0) {
                continue;
            }
            var component = (Varies) composite.getComponent(i);
            if (subcomponents.length == 1) {
                set(component, subcomponents[0], escaping, encoding);
                continue;
            }
            var parts = new GenericComposite(message);
            component.setData(parts);
            for (int j = 0; j < subcomponents.length; j++) {
                set((Varies) parts.getComponent(j), subcomponents[j], escaping, encoding);
            }
        }
    }

    private static void set(Varies target, String value, Escaping escaping, EncodingCharacters encoding)
            throws HL7Exception {
        ((Primitive) target.getData()).setValue(unescape(value, escaping, encoding));
    }

    private static String unescape(String value, Escaping escaping, EncodingCharacters encoding) {
        return value == null ? null : escaping.unescape(value, encoding);
    }

    /**
     * As HAPI's {@link PipeParser#split(String, String)} with one separator: an empty part is null, and a separator at
     * the end opens no part (HAPI's tokenizer never yields what follows it).
     */
    static String[] split(String text, char separator) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                count++;
            }
        }
        if (text.charAt(text.length() - 1) == separator) {
            count--;
        }
        var parts = new String[count];
        int start = 0;
        for (int n = 0; n < count; n++) {
            int end = text.indexOf(separator, start);
            if (end < 0) {
                end = text.length();
            }
            parts[n] = end == start ? null : text.substring(start, end);
            start = end + 1;
        }
        return parts;
    }
}
