package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import labops.ingress.intake.ControlCharacters;
import labops.schemas.Er7;
import labops.testsupport.HostileInputs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The structural read ingress answers from holds for any text: it reads a header or says why it cannot, every field
 * position of a readable message has a name, the ACK can always be built, and the control-character check agrees with
 * its definition.
 */
class Er7HeaderFuzzTest {

    private final Hl7Acks acks = new Hl7Acks();

    @Property
    void anyTextIsReadOrUnreadableAndEveryAnswerCanBeBuilt(@ForAll("messages") byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Er7Header header;
        try {
            header = Er7Header.read(text);
        } catch (Er7.Unreadable unreadable) {
            assertThat(unreadable.getMessage()).isNotBlank();
            assertThat(acks.refuse(null, "AR", Hl7Acks.Error.SEGMENT_SEQUENCE, unreadable.getMessage())).isNotEmpty();
            return;
        }
        assertThat(header.messageType()).contains("^");
        int control = ControlCharacters.first(text);
        if (control >= 0) {
            // What the refusal names: the field, or the segment by number; never the control character itself (a
            // segment's name may hold TAB, DEL or high bytes, which are not refused: found by 20,000 inputs).
            assertThat(header.fieldAt(text, control)).matches("[\\t\\x20-\\xFF]{1,3}-\\d+|the name of segment \\d+");
        }
        assertThat(acks.accept(header)).isNotEmpty();
        assertThat(acks.refuse(header, "AE", Hl7Acks.Error.DATA_TYPE_ERROR, "reason")).isNotEmpty();
    }

    @Property
    void theControlCheckFindsExactlyTheC0CharactersOtherThanCrLfAndTab(@ForAll("messages") byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int first = ControlCharacters.first(text);
        int expected = -1;
        for (int i = 0; i < text.length() && expected < 0; i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') {
                expected = i;
            }
        }
        assertThat(first).isEqualTo(expected);
        assertThat(ControlCharacters.first(ControlCharacters.strip(text))).isEqualTo(-1);
    }

    @Provide
    Arbitrary<byte[]> messages() {
        return Arbitraries.oneOf(Stream.of("orm-o01-v23.hl7", "oml-o21.hl7", "oru-r01.hl7", "adt-a08.hl7", "adt-a40.hl7")
                .map(name -> HostileInputs.mutationsOf(sample(name))).toList());
    }

    private static byte[] sample(String name) {
        try {
            return Files.readAllBytes(Path.of("..", "samples", name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
