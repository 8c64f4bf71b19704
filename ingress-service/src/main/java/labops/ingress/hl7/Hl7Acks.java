package labops.ingress.hl7;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import labops.schemas.Er7;

/**
 * Acknowledgements built from the message's own MSH, without a parser: MSH with sender and receiver swapped, MSA-1 the
 * code and MSA-2 the message's MSH-10, and for refusals an ERR segment with the HL7 table 0357 error code and the
 * reason (HL7-escaped). A message without a readable MSH gets a bare ACK in 2.5.1 form.
 *
 * <p>Original mode (MSH-15 empty) answers AA/AE/AR. Enhanced mode (MSH-15 set) answers the accept acknowledgement
 * CA/CE/CR, as MSH-15 asks: AL always, NE never, ER only for a refusal, SU only for an acceptance; an acknowledgement
 * not asked for is {@link #NONE}. Lab Ops is not the application that acts on the order, so it sends no application
 * acknowledgement whatever MSH-16 says.
 */
final class Hl7Acks {

    /** HL7 table 0357 error conditions ingress answers with. */
    enum Error {
        SEGMENT_SEQUENCE(100, "Segment sequence error"),
        REQUIRED_FIELD_MISSING(101, "Required field missing"),
        DATA_TYPE_ERROR(102, "Data type error"),
        UNSUPPORTED_MESSAGE_TYPE(200, "Unsupported message type"),
        DUPLICATE_KEY(205, "Duplicate key identifier"),
        APPLICATION_INTERNAL(207, "Application internal error");

        final int code;
        final String text;

        Error(int code, String text) {
            this.code = code;
            this.text = text;
        }
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final char FIELD = '|';
    private static final String ENCODING = "^~\\&";

    /** ACK control ids: a random prefix per process and a counter, unique without a shared file or clock read. */
    private final String idPrefix = "LO" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    private final AtomicLong counter = new AtomicLong();

    /** The current second as MSH-7 writes it, formatted once per second. */
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    /** No acknowledgement: the sender's MSH-15 did not ask for one in this case. */
    static final byte[] NONE = new byte[0];

    private final boolean omitUnrequested;

    /** Acknowledgements for a socket, where MSH-15 may ask for none. */
    Hl7Acks() {
        this(true);
    }

    private Hl7Acks(boolean omitUnrequested) {
        this.omitUnrequested = omitUnrequested;
    }

    /** Acknowledgements for HTTP, where every request has an answer: the enhanced-mode code, always sent. */
    static Hl7Acks alwaysAnswering() {
        return new Hl7Acks(false);
    }

    byte[] accept(Er7Header message) {
        return ack(message, "AA", null, null);
    }

    /** {@code code} is the original-mode code (AE or AR); enhanced mode turns it into CE or CR. */
    byte[] refuse(Er7Header message, String code, Error error, String reason) {
        return ack(message, code, error, reason);
    }

    private byte[] ack(Er7Header message, String originalCode, Error error, String reason) {
        String acceptMode = message == null ? "" : message.component(15, 1);
        String code = originalCode;
        if (!acceptMode.isEmpty()) {
            boolean accepted = error == null;
            boolean wanted = switch (acceptMode) {
                case "NE" -> false;
                case "ER" -> !accepted;
                case "SU" -> accepted;
                default -> true;
            };
            if (!wanted && omitUnrequested) {
                return NONE;
            }
            code = "C" + originalCode.charAt(1);
        }
        char field = message == null ? FIELD : message.fieldSeparator();
        String encoding = message == null ? ENCODING : message.encodingCharacters();
        String trigger = message == null ? "" : message.component(9, 2);
        var ack = new StringBuilder(256)
                .append("MSH").append(field).append(encoding)
                .append(field).append(message == null ? "" : message.field(5))
                .append(field).append(message == null ? "" : message.field(6))
                .append(field).append(message == null ? "" : message.field(3))
                .append(field).append(message == null ? "" : message.field(4))
                .append(field).append(now())
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
                    .append(new Er7(field, encoding).escape(reason))
                    .append('\r');
        }
        return ack.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The acknowledgement of a batch: a batch of the messages' acknowledgements in their order, its header naming the
     * sender's batch (BHS-12, FHS-12) and with receiver and sender swapped, the trailer counting what it holds.
     */
    byte[] batch(Hl7Batch batch, List<byte[]> acks) {
        char field = batch.fieldSeparator();
        String encoding = batch.encodingCharacters();
        String now = now();
        var out = new StringBuilder(128 + acks.size() * 128);
        for (String segment : batch.file() ? List.of("FHS", "BHS") : List.of("BHS")) {
            out.append(segment).append(field).append(encoding)
                    .append(field).append(batch.field(5)).append(field).append(batch.field(6))
                    .append(field).append(batch.field(3)).append(field).append(batch.field(4))
                    .append(field).append(now)
                    .append(field).append(field).append(field).append(field)
                    .append(field).append(idPrefix).append(counter.incrementAndGet())
                    .append(field).append(batch.field(11))
                    .append('\r');
        }
        int count = 0;
        for (byte[] ack : acks) {
            if (ack.length > 0) {
                out.append(new String(ack, StandardCharsets.ISO_8859_1));
                count++;
            }
        }
        out.append("BTS").append(field).append(count).append('\r');
        if (batch.file()) {
            out.append("FTS").append(field).append(1).append('\r');
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Now in UTC to the millisecond ({@code yyyyMMddHHmmss.SSS+0000}); formatting the whole stamp per ACK made half
     * of an ACK's garbage.
     */
    String now() {
        long millis = System.currentTimeMillis();
        long epochSecond = Math.floorDiv(millis, 1000);
        Second current = second;
        if (current.epochSecond() != epochSecond) {
            current = new Second(epochSecond, SECONDS.format(LocalDateTime.ofEpochSecond(epochSecond, 0,
                    ZoneOffset.UTC)));
            second = current;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        return current.text() + '.' + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10)
                + "+0000";
    }
}
