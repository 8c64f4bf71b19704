package labops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadsheetCellsTest {

    @Test
    void cellsASpreadsheetWouldEvaluateAreWrittenAsText() {
        assertThat(SpreadsheetCells.text("=HYPERLINK(\"http://evil.example\",\"x\")"))
                .isEqualTo("'=HYPERLINK(\"http://evil.example\",\"x\")");
        assertThat(SpreadsheetCells.text("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(SpreadsheetCells.text("-2+3")).isEqualTo("'-2+3");
        assertThat(SpreadsheetCells.text("@SUM(A1:A9)")).isEqualTo("'@SUM(A1:A9)");
        assertThat(SpreadsheetCells.text("\t=1")).isEqualTo("'\t=1");
        assertThat(SpreadsheetCells.text("\r=1")).isEqualTo("'\r=1");
    }

    @Test
    void numbersAndOrdinaryTextAreLeftAlone() {
        assertThat(SpreadsheetCells.text("-5")).isEqualTo("-5");
        assertThat(SpreadsheetCells.text("+1.5")).isEqualTo("+1.5");
        assertThat(SpreadsheetCells.text("PON-1 = glucose")).isEqualTo("PON-1 = glucose");
        assertThat(SpreadsheetCells.text("")).isEmpty();
        assertThat(SpreadsheetCells.text(null)).isNull();
    }
}
