package labops.ingress.hl7;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An HL7 batch ({@code [FHS] BHS MSH... BTS [FTS]}) read structurally: the envelope's header fields and each message
 * as the exact bytes sent, so every message is checked, published and acknowledged on its own.
 *
 * @param file     whether an FHS wraps the batch
 * @param header   the BHS fields (the FHS's when there is no BHS), index n being BHS-n
 * @param messages each MSH and the segments after it up to the next MSH or trailer, byte for byte
 */
record Hl7Batch(boolean file, String[] header, List<byte[]> messages) {

    static boolean isBatch(String text) {
        return text.startsWith("FHS") || text.startsWith("BHS");
    }

    /** {@code text} is {@code payload} read as ISO-8859-1, so character offsets are byte offsets. */
    static Hl7Batch split(byte[] payload, String text) {
        boolean file = text.startsWith("FHS");
        String[] header = null;
        var messages = new ArrayList<byte[]>();
        int messageStart = -1;
        for (int start = 0; start < text.length(); ) {
            int end = Er7Header.segmentEnd(text, start);
            String name = end - start >= 3 ? text.substring(start, start + 3) : "";
            boolean envelope = name.equals("FHS") || name.equals("BHS") || name.equals("BTS") || name.equals("FTS");
            if (messageStart >= 0 && (envelope || name.equals("MSH"))) {
                messages.add(Arrays.copyOfRange(payload, messageStart, start));
                messageStart = -1;
            }
            if (name.equals("MSH")) {
                messageStart = start;
            } else if ((name.equals("BHS") || (name.equals("FHS") && header == null)) && end - start > 3) {
                header = fields(text.substring(start, end));
            }
            start = end;
            while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
                start++;
            }
        }
        if (messageStart >= 0) {
            messages.add(Arrays.copyOfRange(payload, messageStart, payload.length));
        }
        return new Hl7Batch(file, header == null ? new String[0] : header, List.copyOf(messages));
    }

    /** BHS-{@code n} as sent, or "". */
    String field(int n) {
        return n < header.length ? header[n] : "";
    }

    char fieldSeparator() {
        return header.length > 1 ? header[1].charAt(0) : '|';
    }

    String encodingCharacters() {
        return header.length > 2 && !header[2].isEmpty() ? header[2] : "^~\\&";
    }

    /** Index n is field n: [0] the segment name, [1] the separator itself, [2] the encoding characters. */
    private static String[] fields(String segment) {
        char separator = segment.charAt(3);
        var parts = new ArrayList<String>();
        parts.add(segment.substring(0, 3));
        parts.add(String.valueOf(separator));
        int from = 4;
        while (true) {
            int next = segment.indexOf(separator, from);
            if (next < 0) {
                parts.add(segment.substring(from));
                return parts.toArray(String[]::new);
            }
            parts.add(segment.substring(from, next));
            from = next + 1;
        }
    }
}
