package labops.normalizer.hl7;

import static labops.normalizer.hl7.Hl7TestMessages.resource;
import static labops.normalizer.hl7.Hl7TestMessages.sample;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.GenericMessage;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-pass field parse builds, field by field, the model HAPI's own parse builds, and encodes back the same. */
class GenericFieldParserTest {

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");

    private final PipeParser hapi = context().getPipeParser();
    private final PipeParser fast = new GenericFieldParser(context());

    private static HapiContext context() {
        HapiContext context = new DefaultHapiContext(new GenericModelClassFactory());
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        return context;
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "A;                 A",
            "A^B^C;             A^B^C",
            "^B;                ^B",
            "A^^C;              A^^C",
            "A^B^^;             A^B",
            "^;                 ''",
            "^^;                ''",
            "A&B;               A&B",
            "&B^C;              &B^C",
            "A&&^B;             A^B",
            "A&B&^;             A&B",
            "A^B&C&D^E;         A^B&C&D^E",
            "x\\T\\y^\\S\\;     x\\T\\y^\\S\\",
            "A~B^C~~D;          A~B^C~~D"})
    void buildsWhatHapiBuildsAndEncodesTheSame(String field, String encoded) throws Exception {
        String segment = "ZZZ|" + field + "|end";

        Segment expected = parse(hapi, segment);
        Segment actual = parse(fast, segment);

        assertThat(model(actual)).isEqualTo(model(expected));
        assertThat(PipeParser.encode(actual, ENCODING)).isEqualTo("ZZZ|" + encoded.strip() + "|end")
                .isEqualTo(PipeParser.encode(expected, ENCODING));
    }

    @Test
    void everySegmentOfTheSamplesAndTheCorpusReadsAsHapiReadsIt() throws Exception {
        var messages = Stream.concat(Stream.of("orm-o01-v23.hl7", "oml-o21.hl7", "oru-r01.hl7", "adt-a08.hl7",
                "adt-a40.hl7").map(Hl7TestMessages::sample), Stream.of(resource("oru-r01-all-types.hl7"))).toList();
        int segments = 0;
        for (String message : messages) {
            for (String line : message.split("\r")) {
                if (line.length() > 3 && !line.startsWith("MSH")) {
                    assertThat(model(parse(fast, line))).as(line.substring(0, 3)).isEqualTo(model(parse(hapi, line)));
                    segments++;
                }
            }
        }
        assertThat(segments).isGreaterThan(20);
    }

    /** Segments made of every separator, escapes and empty parts in every order: a case the list above missed shows. */
    @Test
    void randomSegmentsReadAsHapiReadsThem() throws Exception {
        String[] pieces = {"A", "bc", "", " ", "^", "^", "&", "&", "~", "|", "\\T\\", "\\S\\", "\\"};
        var random = new Random(7);
        for (int n = 0; n < 3000; n++) {
            var segment = new StringBuilder("ZZZ|");
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                segment.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = segment.toString();
            assertThat(model(parse(fast, text))).as(text).isEqualTo(model(parse(hapi, text)));
        }
    }

    @Test
    void splitsAsHapiDoes() {
        for (String text : List.of("", "A", "A^", "^", "^^", "A^^", "^B", "A^B", "A^^B^", "^^^C^^")) {
            assertThat(GenericFieldParser.split(text, '^')).as(text).containsExactly(PipeParser.split(text, "^"));
        }
    }

    private static Segment parse(PipeParser parser, String text) throws Exception {
        var message = new GenericMessage.V251(parser.getFactory());
        message.setParser(parser);
        var segment = new GenericSegment(message, text.substring(0, 3));
        parser.parse(segment, text, ENCODING);
        return segment;
    }

    /** The segment's model written out: each field's repetitions, each value's type, its components and value. */
    private static List<String> model(Segment segment) throws Exception {
        var fields = new ArrayList<String>();
        for (int i = 1; i <= segment.numFields(); i++) {
            var repetitions = new StringBuilder();
            for (Type repetition : segment.getField(i)) {
                repetitions.append(model(repetition)).append(';');
            }
            fields.add(i + "=" + repetitions);
        }
        return fields;
    }

    private static String model(Type type) {
        if (type instanceof Varies varies) {
            return "V(" + model(varies.getData()) + ")";
        }
        if (type instanceof Composite composite) {
            var parts = new StringBuilder(type.getClass().getSimpleName()).append('[');
            for (Type component : composite.getComponents()) {
                parts.append(model(component)).append(',');
            }
            return parts.append(']').toString();
        }
        return type.getClass().getSimpleName() + ":" + ((Primitive) type).getValue()
                + "+" + type.getExtraComponents().numComponents();
    }
}
