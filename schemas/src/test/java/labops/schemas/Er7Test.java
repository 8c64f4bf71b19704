package labops.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Er7Test {

    @Test
    void delimitersAreFourOrFiveDistinctNonAlphanumericCharactersInMshFhsOrBhs() throws Exception {
        assertThat(Er7.delimiters("MSH|^~\\&|EHR")).isEqualTo(new Er7('|', "^~\\&"));
        assertThat(Er7.delimiters("MSH|^~\\&#|EHR").encodingCharacters()).isEqualTo("^~\\&#");
        assertThat(Er7.delimiters("BHS*$%!@*EHR").component()).isEqualTo('$');
        assertThat(Er7.delimiters("FHS|^~\\&|EHR").subcomponent()).isEqualTo('&');
        for (String encoding : new String[] {"^", "^~", "^~\\", "^~\\&#!", "^^\\&", "^~|&", "^~ &", "^~A&", "^~\t&"}) {
            assertThatThrownBy(() -> Er7.delimiters("MSH|" + encoding + "|EHR")).as(encoding)
                    .isInstanceOf(Er7.Unreadable.class)
                    .hasMessageStartingWith("MSH-2 (encoding characters) must be four distinct delimiters");
        }
        assertThatThrownBy(() -> Er7.delimiters("PID|1")).hasMessageContaining("must start with an MSH segment");
        assertThatThrownBy(() -> Er7.delimiters("MSH1^~\\&1")).hasMessageStartingWith("MSH-1 (field separator)");
        assertThatThrownBy(() -> Er7.delimiters("MSH|^~\\&\rPID|")).hasMessageContaining("no fields after MSH-2");
    }

    @Test
    void segmentsEndWithCrCrLfOrLfAndBlankLinesAndIndentsAreNotSegments() {
        assertThat(Er7.segments("MSH|^~\\&|A\rPID|1\r\nORC|NW\n\n\r  OBR|1\r\n"))
                .containsExactly("MSH|^~\\&|A", "PID|1", "ORC|NW", "OBR|1");
        assertThat(Er7.segments("\r\nMSH|^~\\&|A")).containsExactly("MSH|^~\\&|A");
        assertThat(Er7.segments("")).isEmpty();
    }
}
