package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.idgenerator.NanoTimeGenerator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AcksTest {

    private final Acks acks = acks();

    @Test
    void answersTextThatIsNotHl7WithABareRejection() {
        String ack = text(acks.refuse("GET / HTTP/1.1\r\nHost: lab", AcknowledgmentCode.AR,
                ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "not an HL7 v2 message"));

        assertThat(ack).startsWith("MSH|").contains("\rMSA|AR").contains("\rERR|").contains("not an HL7 v2 message");
    }

    @Test
    void answersAnUnparseableMessageFromItsHeaderSoMsa2EchoesMsh10() {
        String ack = text(acks.refuse("MSH|^~\\&|EHR|HOSP|LAB|LAB|20261125083000|||CTRL-7|P|2.3\rPID|1", AcknowledgmentCode.AE,
                ErrorCode.REQUIRED_FIELD_MISSING, "MSH-9 (message type) is missing"));

        assertThat(ack).contains("\rMSA|AE|CTRL-7").contains("MSH-9 (message type) is missing");
        assertThat(ack.split("\r")[0]).contains("|LAB|LAB|EHR|HOSP|");
    }

    private static Acks acks() {
        var hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        hapi.getParserConfiguration().setIdGenerator(new NanoTimeGenerator());
        return new Acks(hapi.getPipeParser());
    }

    private static String text(byte[] ack) {
        return new String(ack, StandardCharsets.ISO_8859_1);
    }
}
