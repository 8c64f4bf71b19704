package labops.ingress.hl7;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Original-mode acknowledgements built from the message's own MSH, without a parser: MSH with sender and receiver
 * swapped, MSA-1 the code and MSA-2 the message's MSH-10, and for refusals an ERR segment with the HL7 table 0357
 * error code and the reason (HL7-escaped). A message without a readable MSH gets a bare ACK in 2.5.1 form.
 */
final class Hl7Acks {

    /** HL7 table 0357 error conditions ingress answers with. */
    enum Error {
        SEGMENT_SEQUENCE(100, "Segment sequence error"),
        REQUIRED_FIELD_MISSING(101, "Required field missing"),
        UNSUPPORTED_MESSAGE_TYPE(200, "Unsupported message type"),
        APPLICATION_INTERNAL(207, "Application internal error");

        final int code;
        final String text;

        Error(int code, String text) {
            this.code = code;
            this.text = text;
        }
    }

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    private static final char FIELD = '|';
    private static final String ENCODING = "^~\\&";

    /** ACK control ids: a random prefix per process and a counter, unique without a shared file or clock read. */
    private final String idPrefix = "LO" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    private final AtomicLong counter = new AtomicLong();

    byte[] accept(Er7Header message) {
        return ack(message, "AA", null, null);
    }

    byte[] refuse(Er7Header message, String code, Error error, String reason) {
        return ack(message, code, error, reason);
    }

    private byte[] ack(Er7Header message, String code, Error error, String reason) {
        char field = message == null ? FIELD : message.fieldSeparator();
        String encoding = message == null ? ENCODING : message.encodingCharacters();
        String trigger = message == null ? "" : message.component(9, 2);
        var ack = new StringBuilder(256)
                .append("MSH").append(field).append(encoding)
                .append(field).append(message == null ? "" : message.field(5))
                .append(field).append(message == null ? "" : message.field(6))
                .append(field).append(message == null ? "" : message.field(3))
                .append(field).append(message == null ? "" : message.field(4))
                .append(field).append(ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP))
                .append(field)
                .append(field).append("ACK").append(encoding.charAt(0)).append(trigger).append(encoding.charAt(0)).append("ACK")
                .append(field).append(idPrefix).append(counter.incrementAndGet())
                .append(field).append(message == null || message.field(11).isEmpty() ? "P" : message.field(11))
                .append(field).append(message == null || message.field(12).isEmpty() ? "2.5.1" : message.field(12))
                .append('\r')
                .append("MSA").append(field).append(code).append(field).append(message == null ? "" : message.controlId())
                .append('\r');
        if (error != null) {
            char component = encoding.charAt(0);
            ack.append("ERR").append(field).append(field).append(field)
                    .append(error.code).append(component).append(error.text).append(component).append("HL70357")
                    .append(field).append('E')
                    .append(field).append(field).append(field).append(field)
                    .append(escape(reason, field, encoding))
                    .append('\r');
        }
        return ack.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** HL7 escape sequences for the delimiters, so a reason can never break the ACK's structure. */
    static String escape(String text, char field, String encoding) {
        char escape = encoding.length() > 2 ? encoding.charAt(2) : '\\';
        var out = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == escape) {
                out.append(escape).append('E').append(escape);
            } else if (c == field) {
                out.append(escape).append('F').append(escape);
            } else if (c == encoding.charAt(0)) {
                out.append(escape).append('S').append(escape);
            } else if (encoding.length() > 1 && c == encoding.charAt(1)) {
                out.append(escape).append('R').append(escape);
            } else if (encoding.length() > 3 && c == encoding.charAt(3)) {
                out.append(escape).append('T').append(escape);
            } else if (c == '\r' || c == '\n') {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
