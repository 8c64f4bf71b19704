package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Over HTTP the status says what the ACK says: a client reading only the status never takes a refusal for success. */
class Hl7HttpStatusTest {

    private static final String HEADER = "MSH|^~\\&|LAB|LAB|EHR|HOSP|2026||ACK^O01^ACK|LO1|P|2.5.1\r";

    @Test
    void eachAcknowledgementCodeHasItsStatus() {
        assertThat(status("MSA|AA|C-1\r")).isEqualTo(HttpStatus.OK);
        assertThat(status("MSA|CA|C-1\r")).isEqualTo(HttpStatus.OK);
        assertThat(status("MSA|AE|C-1\rERR|||101^Required field missing^HL70357|E||||MSH-10 is missing\r"))
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status("MSA|AR|C-1\rERR|||200^Unsupported message type^HL70357|E||||not accepted\r"))
                .isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(status("MSA|CR|C-1\rERR|||207^Application internal error^HL70357|E||||message not stored: Lab Ops "
                + "could not persist it durably; resend later\r")).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(status("MSA|AR|C-1\rERR|||207^Application internal error^HL70357|E||||production is not live yet\r"))
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void aBatchTakesTheWorstOfItsMessages() {
        String batch = "BHS|^~\\&|LAB|LAB|EHR|HOSP|2026||||LO2|B-1\r" + HEADER + "MSA|AA|C-1\r" + HEADER
                + "MSA|AE|C-2\rERR|||100^Segment sequence error^HL70357|E||||required segment ORC is missing\rBTS|2\r";

        assertThat(Hl7HttpController.status(batch.getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private static HttpStatus status(String rest) {
        return Hl7HttpController.status((HEADER + rest).getBytes(StandardCharsets.ISO_8859_1));
    }
}
