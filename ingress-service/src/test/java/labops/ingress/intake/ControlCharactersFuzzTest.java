package labops.ingress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import labops.testsupport.HostileInputs;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * REST and FHIR JSON: whatever text a sender puts in any field, the check names the JSON Pointer of the first value
 * (in document order) holding a control character, never echoes the character, and finds none where there is none.
 */
class ControlCharactersFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Fields of the sample order, in the order they stand in the document. */
    private static final List<String> FIELDS = List.of("/orders/0/orderNumber", "/orders/0/tests/0/code",
            "/orders/0/notes/0", "/orders/0/patient/mrn", "/orders/0/patient/family");

    @Property
    void theFirstValueHoldingAControlCharacterIsNamedByItsPointer(@ForAll("texts") List<String> values) throws Exception {
        JsonNode tree = JSON.readTree(Files.readAllBytes(Path.of("..", "samples", "rest-orders.json")));
        for (int i = 0; i < FIELDS.size(); i++) {
            set(tree, FIELDS.get(i), values.get(i));
        }
        // Sent as text and parsed again, as a sender's body is.
        var found = ControlCharacters.in(JSON.readTree(JSON.writeValueAsString(tree)));

        String expected = null;
        for (int i = 0; i < FIELDS.size() && expected == null; i++) {
            if (ControlCharacters.first(values.get(i)) >= 0) {
                expected = FIELDS.get(i);
            }
        }
        assertThat(found.map(ControlCharacters.Found::pointer).orElse(null)).isEqualTo(expected);
        found.ifPresent(f -> assertThat(f.detail()).doesNotContain(String.valueOf(f.character())));
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return HostileInputs.bytes(40).map(b -> new String(b, StandardCharsets.ISO_8859_1)).list().ofSize(FIELDS.size());
    }

    private static void set(JsonNode tree, String pointer, String value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = tree.at(pointer.substring(0, slash));
        String name = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.put(name, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(name), JSON.getNodeFactory().textNode(value));
        }
    }
}
