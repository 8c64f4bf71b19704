package labops.ingress.hl7;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import labops.schemas.Er7;

/**
 * An HL7 batch ({@code [FHS] BHS MSH... BTS [FTS]}) read structurally: the envelope's header fields and each message
 * as the exact bytes sent, so every message is checked, published and acknowledged on its own.
 *
 * @param file     whether an FHS wraps the batch
 * @param header   the BHS segment (the FHS when there is no BHS) split at its field separator: index n - 1 is BHS-n
 *                 for n of 2 and more, as {@link Er7Header} holds the MSH
 * @param messages each MSH and the segments after it up to the next MSH or trailer, byte for byte
 */
record Hl7Batch(boolean file, char fieldSeparator, String[] header, List<byte[]> messages) {

    static boolean isBatch(String text) {
        return text.startsWith("FHS") || text.startsWith("BHS");
    }

    /** {@code text} is {@code payload} read as ISO-8859-1, so character offsets are byte offsets. */
    static Hl7Batch split(byte[] payload, String text) {
        boolean file = text.startsWith("FHS");
        String[] header = null;
        char separator = '|';
        var messages = new ArrayList<byte[]>();
        int messageStart = -1;
        for (int start = 0; start < text.length(); ) {
            int end = Er7.segmentEnd(text, start);
            String name = end - start >= 3 ? text.substring(start, start + 3) : "";
            boolean envelope = name.equals("FHS") || name.equals("BHS") || name.equals("BTS") || name.equals("FTS");
            if (messageStart >= 0 && (envelope || name.equals("MSH"))) {
                messages.add(Arrays.copyOfRange(payload, messageStart, start));
                messageStart = -1;
            }
            if (name.equals("MSH")) {
                messageStart = start;
            } else if ((name.equals("BHS") || (name.equals("FHS") && header == null)) && end - start > 3) {
                separator = text.charAt(start + 3);
                header = Er7Header.split(text.substring(start, end), separator);
            }
            start = Er7.nextSegment(text, end);
        }
        if (messageStart >= 0) {
            messages.add(Arrays.copyOfRange(payload, messageStart, payload.length));
        }
        return new Hl7Batch(file, separator, header == null ? new String[0] : header, List.copyOf(messages));
    }

    /** BHS-{@code n} (n of 2 and more) as sent, or "". */
    String field(int n) {
        return n - 1 < header.length ? header[n - 1] : "";
    }

    String encodingCharacters() {
        return header.length > 1 && !header[1].isEmpty() ? header[1] : "^~\\&";
    }
}
