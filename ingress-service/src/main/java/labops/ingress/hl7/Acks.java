package labops.ingress.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.app.DefaultApplication;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.parser.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Original-mode HL7 acknowledgements built with HAPI: MSA-2 echoes MSH-10, ERR says why. */
final class Acks {

    private final Parser parser;

    Acks(Parser parser) {
        this.parser = parser;
    }

    byte[] accept(Message message) {
        try {
            return encode(message.generateACK());
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("could not build ACK", e);
        }
    }

    /** An AE/AR for a message HAPI parsed. */
    byte[] refuse(Message message, AcknowledgmentCode code, ErrorCode error, String reason) {
        try {
            return encode(message.generateACK(code, new HL7Exception(reason, error)));
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("could not build ACK", e);
        }
    }

    /**
     * An AE/AR for text HAPI could not parse: answered from MSH alone when it can be read (so MSA-2 still
     * echoes MSH-10), otherwise as a bare ACK with an empty MSA-2.
     */
    byte[] refuse(String text, AcknowledgmentCode code, ErrorCode error, String reason) {
        var exception = new HL7Exception(reason, error);
        try {
            Message ack;
            try {
                ack = DefaultApplication.makeACK(parser.getCriticalResponseData(text));
            } catch (HL7Exception | RuntimeException unreadableHeader) {
                ack = new ACK();
                ((ACK) ack).initQuickstart("ACK", null, "P");
            }
            return encode(exception.populateResponse(ack, code, 0));
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("could not build ACK", e);
        }
    }

    private byte[] encode(Message ack) throws HL7Exception {
        return parser.encode(ack).getBytes(StandardCharsets.ISO_8859_1);
    }
}
