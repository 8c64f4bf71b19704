package labops.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import labops.events.LabOrderEvent;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCompatibilityCheckTest {

    private static final Path COMMITTED_RELEASES = Path.of("released");

    @Test
    void committedSchemasAreBackwardCompatibleWithTheirReleases() {
        assertThat(SchemaCompatibilityCheck.check(CanonicalEvents.SCHEMAS, COMMITTED_RELEASES)).isEmpty();
    }

    @Test
    void newRequiredFieldWithoutDefaultIsRejected() {
        Schema changed = withExtraField(LabOrderEvent.getClassSchema(),
                "{\"name\": \"labSection\", \"type\": \"string\"}");

        List<String> findings = SchemaCompatibilityCheck.check(List.of(changed), COMMITTED_RELEASES);

        assertThat(findings).singleElement().asString()
                .contains("LabOrderEvent")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("labSection");
    }

    @Test
    void newOptionalFieldWithDefaultIsAccepted() {
        Schema changed = withExtraField(LabOrderEvent.getClassSchema(),
                "{\"name\": \"labSection\", \"type\": [\"null\", \"string\"], \"default\": null}");

        assertThat(SchemaCompatibilityCheck.check(List.of(changed), COMMITTED_RELEASES)).isEmpty();
    }

    @Test
    void buildCheckFailsWhenTheCurrentSchemaDropsAReleasedEnumSymbol(@TempDir Path released) throws Exception {
        SchemaCompatibilityCheck.release(CanonicalEvents.SCHEMAS, released);
        // A release that knew one more order action: the current reader could not decode it.
        Path orderRelease = released.resolve("LabOrderEvent/1.avsc");
        Files.writeString(orderRelease, Files.readString(orderRelease)
                .replace("\"RESUME\"", "\"RESUME\", \"DISCONTINUE\""));

        assertThatThrownBy(() -> SchemaCompatibilityCheck.main(new String[] {released.toString()}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LabOrderEvent")
                .hasMessageContaining("MISSING_ENUM_SYMBOLS");
    }

    @Test
    void aSchemaWithoutReleaseIsReported(@TempDir Path released) {
        assertThat(SchemaCompatibilityCheck.check(CanonicalEvents.SCHEMAS, released))
                .hasSize(CanonicalEvents.SCHEMAS.size())
                .allMatch(finding -> finding.contains("no released version"));
    }

    @Test
    void releaseWritesOnlyChangedSchemasAsTheNextVersion(@TempDir Path released) {
        assertThat(SchemaCompatibilityCheck.release(CanonicalEvents.SCHEMAS, released)).hasSize(CanonicalEvents.SCHEMAS.size());
        assertThat(SchemaCompatibilityCheck.release(CanonicalEvents.SCHEMAS, released)).isEmpty();

        Schema changed = withExtraField(LabOrderEvent.getClassSchema(),
                "{\"name\": \"labSection\", \"type\": [\"null\", \"string\"], \"default\": null}");
        assertThat(SchemaCompatibilityCheck.release(List.of(changed), released))
                .containsExactly(released.resolve("LabOrderEvent/2.avsc"));
    }

    private static Schema withExtraField(Schema schema, String fieldJson) {
        String json = schema.toString();
        String changed = json.substring(0, json.lastIndexOf(']')) + "," + fieldJson + "]}";
        return new Schema.Parser().parse(changed);
    }
}
