package labops.console.imports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The orders template's header cells are the tenant's column names: quoted as CSV needs, never a formula. */
class TemplateCellsTest {

    @Test
    void aColumnNameASpreadsheetWouldEvaluateIsWrittenAsText() {
        assertThat(ImportsController.csvField("=HYPERLINK(\"http://evil.example\",\"x\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
        assertThat(ImportsController.csvField("@cmd")).isEqualTo("'@cmd");
        assertThat(ImportsController.csvField("order_number")).isEqualTo("order_number");
        assertThat(ImportsController.csvField("notes, free text")).isEqualTo("\"notes, free text\"");
    }
}
