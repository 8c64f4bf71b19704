package labops.normalizer.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import labops.events.Environment;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.Hl7MessageTypes;
import labops.schemas.auth.Scopes;
import labops.platform.security.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payload guidance for the integration page, made by this normalizer: the message types ingress accepts, each example
 * message run through the real mappers (so the canonical events shown are the ones Lab Ops makes), and the field
 * table, which a test checks against the mapping of the examples.
 */
@RestController
class Hl7Guide {

    /**
     * One row of the field table. {@code probe} (a HAPI Terser path into the example) and {@code canonicalPath} (a
     * dotted path into the order event) let the test confirm the row against the mapper; null where the value is
     * translated rather than copied.
     */
    record Field(String canonical, String hl7, String note, String probe, String canonicalPath) {
    }

    static final List<Field> ORDER_FIELDS = List.of(
            new Field("action", "ORC-1", "NW new; XO, SC update; CA, OC, DC cancel; HD, OH hold; RL, OR release", null, null),
            new Field("placerOrderNumber", "ORC-2, else OBR-2", "required unless a filler number is given",
                    "/.ORC-2-1", "placerOrderNumber.value"),
            new Field("fillerOrderNumber", "ORC-3, else OBR-3", "", null, null),
            new Field("priority", "TQ1-9, else ORC-7.6, else OBR-27.6", "S stat, A ASAP, R or P routine, T urgent", null,
                    null),
            new Field("orderedAt", "ORC-9, else OBR-6", "HL7 timestamp", null, null),
            new Field("orderingProvider", "ORC-12, else OBR-16", "identifier^family^given", "/.ORC-12-1",
                    "orderingProvider.identifier.value"),
            new Field("tests[0].code", "OBR-4.1", "required; LN in OBR-4.3 means LOINC", "/.OBR-4-1", "tests.code"),
            new Field("tests[0].display", "OBR-4.2", "", "/.OBR-4-2", "tests.display"),
            new Field("specimen.type", "SPM-4, else OBR-15.1", "HL7 table 0487 (SPM) or 0070 (OBR-15)", null, null),
            new Field("specimen.collectedAt", "SPM-17.1, else OBR-7", "", null, null),
            new Field("specimen.collectionMethod", "SPM-7, else OBR-15.3", "", null, null),
            new Field("clinicalNotes", "NTE-3 after the PID, then after the OBR", "every repetition", "/.ORDER_DETAIL/NTE-3",
                    "clinicalNotes"),
            new Field("patient.identifiers[0].value", "PID-3.1", "every PID-3 repetition, with PID-3.4 authority and "
                    + "PID-3.5 type", "/.PID-3-1", "patient.identifiers.value"));

    private static final List<String> EXAMPLES = List.of("orm-o01-v23.hl7", "oml-o21.hl7", "adt-a08.hl7", "adt-a40.hl7",
            "oru-r01.hl7");

    private final Hl7Normalizer normalizer;

    Hl7Guide(Hl7Normalizer normalizer) {
        this.normalizer = normalizer;
    }

    @GetMapping("/api/guide/hl7v2")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_READ, Scopes.DEAD_LETTERS})
    Map<String, Object> guide() throws UnmappableMessageException {
        var examples = new ArrayList<Map<String, Object>>();
        for (String name : EXAMPLES) {
            byte[] message = example(name);
            String text = new String(message, StandardCharsets.ISO_8859_1);
            String[] msh9 = text.split("\\|", 10)[8].split("\\^");
            String type = msh9[0] + "^" + msh9[1];
            var events = normalizer.normalize(exampleRecord(message)).stream()
                    .map(e -> Map.<String, Object>of("topic", e.topic(), "event", e.value().toString())).toList();
            examples.add(Map.of("messageType", type, "message", text.replace('\r', '\n'), "events", events));
        }
        return Map.of("messageTypes", Hl7MessageTypes.ACCEPTED, "examples", examples, "fields", ORDER_FIELDS);
    }

    static RawRecord exampleRecord(byte[] message) {
        return new RawRecord("guide-example", "your-tenant", Environment.SANDBOX, "mllp", null,
                Instant.parse("2026-01-01T00:00:00Z"), message, "your-tenant|patient-hash");
    }

    static byte[] example(String name) {
        try (InputStream in = Hl7Guide.class.getResourceAsStream("/guide/" + name)) {
            if (in == null) {
                throw new IllegalStateException("example " + name + " is not packaged");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
