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

    @Test
    void escapingWritesEachDelimiterAsItsSequenceAndLineBreaksAsSpaces() {
        var er7 = new Er7('|', "^~\\&");
        assertThat(er7.escape("a|b^c~d\\e&f\rg\nh")).isEqualTo("a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f g h");
        assertThat(new Er7('*', "$%!@").escape("1*2$3!")).isEqualTo("1!F!2!S!3!E!");
        assertThat(er7.escape("plain text")).isEqualTo("plain text");
    }

    @Test
    void unescapingDecodesTheDelimitersSequencesAndKeepsTheOthersAsSent() {
        var er7 = new Er7('|', "^~\\&#");
        assertThat(er7.unescape("a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\P\\g")).isEqualTo("a|b^c~d\\e&f#g");
        // Hexadecimal data, formatting and local sequences are HAPI's to keep: none becomes a control character.
        assertThat(er7.unescape("x\\X00\\y\\.br\\z\\Zlocal\\")).isEqualTo("x\\X00\\y\\.br\\z\\Zlocal\\");
        assertThat(er7.unescape("trailing \\")).isEqualTo("trailing \\");
        assertThat(new Er7('|', "^~\\&").unescape("\\P\\")).as("no truncation character before v2.7")
                .isEqualTo("\\P\\");
    }

    @Test
    void whatIsEscapedUnescapesToItself() {
        var er7 = new Er7('|', "^~\\&");
        String text = "MSH-10 | ^ ~ \\ & \\X00\\ end\\";
        assertThat(er7.unescape(er7.escape(text))).isEqualTo(text);
    }
}
