package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7AcksTest {

    private final Hl7Acks acks = new Hl7Acks();

    @Test
    void acceptsWithSenderAndReceiverSwappedAndMsa2EchoingMsh10() throws Exception {
        String ack = text(acks.accept(Er7Header.read(
                "MSH|^~\\&|EHR|HOSP|LAB|LABFAC|20261125083000||ORM^O01|CTRL-42|P|2.3\rPID|1\r")));

        String[] msh = ack.split("\r")[0].split("\\|", -1);
        assertThat(msh[2]).isEqualTo("LAB");
        assertThat(msh[3]).isEqualTo("LABFAC");
        assertThat(msh[4]).isEqualTo("EHR");
        assertThat(msh[5]).isEqualTo("HOSP");
        assertThat(msh[8]).isEqualTo("ACK^O01^ACK");
        assertThat(msh[6]).matches("\\d{14}\\.\\d{3}\\+0000");
        assertThat(msh[9]).isNotBlank();
        assertThat(msh[11]).isEqualTo("2.3");
        assertThat(ack.split("\r")[1]).isEqualTo("MSA|AA|CTRL-42");
        assertThat(ack).doesNotContain("ERR");
    }

    @Test
    void stampsTheAckWithNowInUtcToTheMillisecond() {
        var before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String now = acks.now();
        var after = Instant.now();

        var stamped = ZonedDateTime.parse(now,
                DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ")).toInstant();
        assertThat(stamped).isBetween(before, after);
    }

    @ParameterizedTest
    @CsvSource({"AL,CA,CR", "SU,CA,", "ER,,CR", "NE,,"})
    void enhancedModeAnswersTheAcceptAcknowledgementsMsh15AsksFor(String msh15, String onAccept, String onRefuse)
            throws Exception {
        var message = Er7Header.read("MSH|^~\\&|EHR|HOSP|LAB|LAB|2026||ORM^O01|C-1|P|2.5.1|||" + msh15 + "|NE\rPID|1\r");

        byte[] accepted = acks.accept(message);
        byte[] refused = acks.refuse(message, "AR", Hl7Acks.Error.APPLICATION_INTERNAL, "not stored");

        assertThat(accepted.length == 0 ? null : text(accepted).split("\r")[1]).isEqualTo(
                onAccept == null ? null : "MSA|" + onAccept + "|C-1");
        assertThat(refused.length == 0 ? null : text(refused).split("\r")[1]).isEqualTo(
                onRefuse == null ? null : "MSA|" + onRefuse + "|C-1");
    }

    @Test
    void overHttpEveryRequestIsAnsweredEvenWhenMsh15AsksForNone() throws Exception {
        var message = Er7Header.read("MSH|^~\\&|EHR|HOSP|LAB|LAB|2026||ORM^O01|C-1|P|2.5.1|||NE|NE\rPID|1\r");

        assertThat(text(Hl7Acks.alwaysAnswering().accept(message)).split("\r")[1]).isEqualTo("MSA|CA|C-1");
    }

    @Test
    void answersTextThatIsNotHl7WithABareRejection() {
        String ack = text(acks.refuse(null, "AR", Hl7Acks.Error.UNSUPPORTED_MESSAGE_TYPE, "not an HL7 v2 message"));

        assertThat(ack).startsWith("MSH|^~\\&|").contains("\rMSA|AR|\r").contains("\rERR|||200^Unsupported message type^HL70357|E")
                .endsWith("|not an HL7 v2 message\r");
    }

    @Test
    void aReasonCannotBreakTheAckStructure() throws Exception {
        String ack = text(acks.refuse(Er7Header.read("MSH|^~\\&|EHR|HOSP|LAB|LAB|2026|||C-9|P|2.5\r"), "AE",
                Hl7Acks.Error.REQUIRED_FIELD_MISSING, "a|b^c~d\\e\rf"));

        assertThat(ack).contains("\rMSA|AE|C-9\r").endsWith("|a\\F\\b\\S\\c\\R\\d\\E\\e f\r");
        assertThat(ack.split("\r")).hasSize(3);
    }

    @Test
    void everyAckHasItsOwnControlId() throws Exception {
        var header = Er7Header.read("MSH|^~\\&|EHR|HOSP|LAB|LAB|2026||ORM^O01|C-1|P|2.5\r");
        String first = text(acks.accept(header)).split("\r")[0].split("\\|")[9];
        String second = text(acks.accept(header)).split("\r")[0].split("\\|")[9];

        assertThat(first).isNotEqualTo(second);
    }

    private static String text(byte[] ack) {
        return new String(ack, StandardCharsets.ISO_8859_1);
    }
}
