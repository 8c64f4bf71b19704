package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Hl7BatchTest {

    private static final String FIRST = "MSH|^~\\&|EHR|HOSP|LAB|LAB|2026||ORM^O01|C-1|P|2.3\rPID|1||M-1\rORC|NW|P-1\r";
    private static final String SECOND = "MSH|^~\\&|EHR|HOSP|LAB|LAB|2026||ADT^A08|C-2|P|2.3\nPID|1||M-2\n";
    private static final String BATCH = "FHS|^~\\&|EHR|HOSP|LAB|LABFAC|2026||||F-1\r"
            + "BHS|^~\\&|EHR|HOSP|LAB|LABFAC|2026||||B-7\r" + FIRST + SECOND + "BTS|2\rFTS|1\r";

    @Test
    void splitsABatchFileIntoItsMessagesByteForByte() {
        var batch = Hl7Batch.split(bytes(BATCH), BATCH);

        assertThat(batch.file()).isTrue();
        assertThat(batch.field(11)).isEqualTo("B-7");
        assertThat(batch.field(3)).isEqualTo("EHR");
        assertThat(batch.messages()).extracting(m -> new String(m, StandardCharsets.ISO_8859_1))
                .containsExactly(FIRST, SECOND);
    }

    @Test
    void theBatchAcknowledgementHoldsEachAnswerInOrderAndCountsThem() {
        var batch = Hl7Batch.split(bytes(BATCH), BATCH);

        String ack = new String(new Hl7Acks().batch(batch, List.of(bytes("MSH|a\rMSA|AA|C-1\r"), Hl7Acks.NONE,
                bytes("MSH|b\rMSA|AE|C-2\r"))), StandardCharsets.ISO_8859_1);

        String[] segments = ack.split("\r");
        assertThat(segments[0]).startsWith("FHS|^~\\&|LAB|LABFAC|EHR|HOSP|");
        assertThat(segments[1]).startsWith("BHS|^~\\&|LAB|LABFAC|EHR|HOSP|").endsWith("|B-7");
        assertThat(segments).containsSubsequence("MSA|AA|C-1", "MSA|AE|C-2", "BTS|2", "FTS|1");
        assertThat(segments[segments.length - 1]).isEqualTo("FTS|1");
    }

    @Test
    void aBatchWithoutFileHeaderIsAnsweredWithoutOne() {
        String text = "BHS|^~\\&|EHR|HOSP|LAB|LAB|2026||||B-1\r" + FIRST + "BTS|1\r";
        var batch = Hl7Batch.split(bytes(text), text);

        String ack = new String(new Hl7Acks().batch(batch, List.of(bytes("MSH|a\rMSA|AA|C-1\r"))),
                StandardCharsets.ISO_8859_1);

        assertThat(batch.file()).isFalse();
        assertThat(ack).startsWith("BHS|").endsWith("BTS|1\r").doesNotContain("FHS", "FTS");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
