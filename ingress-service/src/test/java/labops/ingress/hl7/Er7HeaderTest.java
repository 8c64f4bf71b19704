package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import labops.ingress.intake.ControlCharacters;
import org.junit.jupiter.api.Test;

/** The structural read of what real senders send: CR, CRLF or LF, other delimiters, missing fields. */
class Er7HeaderTest {

    private static final String ORDER = "MSH|^~\\&|EHR|HOSP|LAB|LAB|20261125083000||ORM^O01|CTRL-42|P|2.3\r"
            + "PID|1||MRN-1^^^HOSP^MR~OTHER-9^^^X^PI||DOE^JANE\rORC|NW|PON-1\rOBR|1|PON-1||2345-7^Glucose^LN\r";

    @Test
    void readsTheMshFieldsTheSegmentNamesAndThePatientsFirstIdentifier() throws Exception {
        var header = Er7Header.read(ORDER);

        assertThat(header.messageType()).isEqualTo("ORM^O01");
        assertThat(header.controlId()).isEqualTo("CTRL-42");
        assertThat(header.field(3)).isEqualTo("EHR");
        assertThat(header.field(12)).isEqualTo("2.3");
        assertThat(header.segments()).containsExactly("MSH", "PID", "ORC", "OBR");
        assertThat(header.patientId()).isEqualTo("MRN-1");
    }

    @Test
    void acceptsLfAndCrlfBetweenSegmentsAndOtherDelimiters() throws Exception {
        assertThat(Er7Header.read(ORDER.replace("\r", "\n")).segments()).containsExactly("MSH", "PID", "ORC", "OBR");
        assertThat(Er7Header.read(ORDER.replace("\r", "\r\n")).segments()).containsExactly("MSH", "PID", "ORC", "OBR");
        var hashes = Er7Header.read("MSH#$~\\&#EHR#HOSP#LAB#LAB#20261125##ORU$R01#C-1#P#2.5\rPID#1##M-7$$$H\r");
        assertThat(hashes.messageType()).isEqualTo("ORU^R01");
        assertThat(hashes.patientId()).isEqualTo("M-7");
    }

    @Test
    void thePatientIdentifierIsPid3sFirstRepetitionsFirstComponentWhereverThePidEnds() throws Exception {
        String msh = "MSH|^~\\&|EHR|HOSP|LAB|LAB|2026||ORM^O01|C-1|P|2.3\r";
        assertThat(Er7Header.read(msh + "PID|1|| MRN-2 ^^^H~X-1").patientId()).isEqualTo("MRN-2");
        assertThat(Er7Header.read(msh + "PID|1||^^^H~X-1\rORC|NW").patientId()).isNull();
        assertThat(Er7Header.read(msh + "PID|1||\rORC|NW|P|Q|R").patientId()).isNull();
        assertThat(Er7Header.read(msh + "PID|1\rORC|NW|P|Q|R").patientId()).isNull();
        assertThat(Er7Header.read(msh + "PID|1||M-3|\rPID|1||M-4").patientId()).isEqualTo("M-3");
        assertThat(Er7Header.read(msh + "PID|1||M-3").component(9, 3)).isEmpty();
    }

    @Test
    void missingFieldsReadAsEmptyAndAHeaderWithoutDelimitersIsUnreadable() throws Exception {
        var noType = Er7Header.read("MSH|^~\\&|EHR|HOSP|LAB|LAB|20261125083000|||CTRL-7|P|2.3\rPID|1\r");
        assertThat(noType.component(9, 1)).isEmpty();
        assertThat(noType.controlId()).isEqualTo("CTRL-7");
        assertThat(noType.patientId()).isNull();

        assertThatThrownBy(() -> Er7Header.read("GET / HTTP/1.1")).hasMessageContaining("must start with an MSH");
        assertThatThrownBy(() -> Er7Header.read("MSH|")).hasMessageContaining("MSH segment cannot be read");
        assertThatThrownBy(() -> Er7Header.read("MSHA^~\\&A")).hasMessage(
                "MSH-1 (field separator) must be a delimiter, not a letter, digit or space");
        for (String encoding : new String[] {"^", "^~", "^~\\", "^^\\&", "^~\\&#!", "^~|&", "^~ &"}) {
            assertThatThrownBy(() -> Er7Header.read("MSH|" + encoding + "|EHR|HOSP")).as(encoding)
                    .hasMessageStartingWith("MSH-2 (encoding characters) must be four distinct delimiters");
        }
        assertThatThrownBy(() -> Er7Header.read("MSH|^~\\&\rPID|1")).hasMessage(
                "MSH segment cannot be read: it has no fields after MSH-2");
    }

    @Test
    void aControlCharacterIsFoundAndNamedByItsFieldAndCrLfAndTabAreText() throws Exception {
        String text = "MSH|^~\\&|EHR|HOSP|||20261125||ORM^O01|C\u00001|P|2.3\r\nPID|1||MRN\t1||DOE\u0007^J\rZ\u0001X|";
        var header = Er7Header.read(text);

        assertThat(ControlCharacters.first("MSH|^~\\&|A\r\nPID|1\t2\r")).isEqualTo(-1);
        int nul = ControlCharacters.first(text);
        assertThat(text.charAt(nul)).isEqualTo('\0');
        assertThat(header.fieldAt(text, nul)).isEqualTo("MSH-10");
        assertThat(header.fieldAt(text, text.indexOf('\u0007'))).isEqualTo("PID-5");
        assertThat(header.fieldAt(text, text.indexOf('\u0001'))).isEqualTo("the name of segment 3");
        String delimiterFirst = "MSH|^~\\&|A|B|||20261125||ORM^O01|C1|P|2.3\r|\u0000-|x\r";
        assertThat(Er7Header.read(delimiterFirst).fieldAt(delimiterFirst, delimiterFirst.indexOf('\0')))
                .as("found by the fuzz suite").isEqualTo("the name of segment 2");
        assertThat(ControlCharacters.strip(text)).doesNotContain("\0", "\u0007", "\u0001")
                .contains("|C1|", "\r\nPID", "MRN\t1");
    }
}
