package labops.ingress.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.PipeParser;
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
            return encode(headerOnly(text).generateACK(code, exception));
        } catch (HL7Exception | IOException | RuntimeException unreadableHeader) {
            try {
                var bare = new ACK();
                bare.setParser(parser);
                bare.initQuickstart("ACK", null, "P");
                return encode(exception.populateResponse(bare, code, 0));
            } catch (HL7Exception | IOException e) {
                throw new IllegalStateException("could not build ACK", e);
            }
        }
    }

    /**
     * A message holding only the MSH of {@code text}, read with HAPI into the 2.5.1 model: enough to judge
     * the message and to answer it even when the rest cannot be parsed.
     */
    Message headerOnly(String text) throws HL7Exception {
        String line = text.split("\r", 2)[0];
        if (!line.startsWith("MSH") || line.length() < 8) {
            throw new HL7Exception("no MSH segment");
        }
        var encoding = new EncodingCharacters(line.charAt(3), line.substring(4, 8));
        var holder = new ACK();
        holder.setParser(parser);
        ((PipeParser) parser).parse((MSH) holder.get("MSH"), line, encoding);
        return holder;
    }

    private byte[] encode(Message ack) throws HL7Exception {
        return parser.encode(ack).getBytes(StandardCharsets.ISO_8859_1);
    }
}
