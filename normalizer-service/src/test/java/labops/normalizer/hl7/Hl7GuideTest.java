package labops.normalizer.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.model.v251.message.ORM_O01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import labops.events.LabOrderEvent;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The integration page's field table tells the truth about the mapper: each probed row holds for the example. */
class Hl7GuideTest {

    @Test
    void everyProbedRowOfTheFieldTableMatchesWhatTheMapperDoesWithTheExample() throws Exception {
        byte[] example = Hl7Guide.example("orm-o01-v23.hl7");
        var hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        var terser = new Terser((ORM_O01) hapi.getPipeParser().parse(
                new String(example, StandardCharsets.ISO_8859_1).replace('\n', '\r')));
        var order = (LabOrderEvent) new Hl7Normalizer().normalize(Hl7Guide.exampleRecord(example)).stream()
                .filter(e -> e.value() instanceof LabOrderEvent).findFirst().orElseThrow().value();

        var probed = Hl7Guide.ORDER_FIELDS.stream().filter(f -> f.probe() != null).toList();
        assertThat(probed).hasSizeGreaterThan(4);
        for (var field : probed) {
            String hl7 = terser.get(field.probe());
            assertThat(hl7).as(field.hl7() + " in the example").isNotBlank();
            assertThat(values(order, field.canonicalPath())).as(field.canonical() + " <- " + field.hl7()).contains(hl7);
        }
    }

    @Test
    void theGuideRunsEveryExampleThroughTheRealMappers() throws Exception {
        var guide = new Hl7Guide(new Hl7Normalizer()).guide();

        @SuppressWarnings("unchecked")
        var examples = (List<java.util.Map<String, Object>>) guide.get("examples");
        assertThat(examples).extracting(e -> e.get("messageType")).containsExactly("ORM^O01", "OML^O21", "ADT^A08", "ADT^A40",
                "ORU^R01");
        assertThat(examples.get(0).get("events").toString()).contains("PON-1001", "2345-7", "labops.canonical.orders");
    }

    /** Every string value at a dotted path, descending into lists. */
    private static List<String> values(Object node, String path) {
        var out = new ArrayList<String>();
        collect(node, path.split("\\."), 0, out);
        return out;
    }

    private static void collect(Object node, String[] path, int depth, List<String> out) {
        if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, path, depth, out));
        } else if (depth == path.length) {
            if (node != null) {
                out.add(node.toString());
            }
        } else if (node instanceof GenericRecord record) {
            collect(record.get(path[depth]), path, depth + 1, out);
        }
    }
}
