package labops.ingress.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An uploaded file of orders, CSV or XLSX, spooled to disk as it arrives (never whole in memory): a header row naming
 * the columns, then data rows read one at a time. What the file is comes from its content, not its name.
 */
interface OrderFile extends AutoCloseable {

    /** A file that cannot be read as orders; the reason is safe to show. */
    final class Unreadable extends Exception {

        private final boolean tooLarge;

        Unreadable(String reason) {
            this(reason, false);
        }

        private Unreadable(String reason, boolean tooLarge) {
            super(reason);
            this.tooLarge = tooLarge;
        }

        /** Over the size limit: the file was not kept. */
        static Unreadable tooLarge(long limit) {
            return new Unreadable("larger than " + limit / (1024 * 1024) + " MB: split the file", true);
        }

        boolean tooLarge() {
            return tooLarge;
        }
    }

    /** One data row: its number as the sheet or the file shows it (the header is row 1), values by column name. */
    record Row(long number, Map<String, String> values) {
    }

    List<String> columns();

    /** Each data row, in file order. */
    void forEachRow(Consumer<Row> each) throws IOException, Unreadable;

    @Override
    void close() throws IOException;

    /**
     * Spools {@code in} (at most {@code limit} bytes) and opens it: an XLSX workbook at {@code sheet} (its first sheet
     * when null), else CSV. Refuses an empty file, an Excel 97-2003 or protected workbook, and other binary content.
     */
    static OrderFile read(InputStream in, long limit, String sheet) throws IOException, Unreadable {
        Path spooled = Files.createTempFile("labops-import-", ".upload");
        try {
            Spooled file = Spooled.copy(in, spooled, limit);
            if (file.startsWith(Spooled.ZIP)) {
                return XlsxFile.open(spooled, sheet);
            }
            if (file.startsWith(Spooled.OLE2)) {
                throw new Unreadable("an Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx without "
                        + "a password, or as CSV");
            }
            if (file.binary()) {
                throw new Unreadable("not a CSV or XLSX file (binary content): save the sheet as CSV or XLSX");
            }
            return CsvFile.open(spooled, file.utf8() ? StandardCharsets.UTF_8 : CsvFile.WINDOWS_1252);
        } catch (IOException | Unreadable | RuntimeException e) {
            Files.deleteIfExists(spooled);
            throw e;
        }
    }

    /** What was learnt while copying: the first bytes, whether any was NUL, whether all of it is valid UTF-8. */
    record Spooled(byte[] head, boolean binary, boolean utf8) {

        static final byte[] ZIP = {'P', 'K', 3, 4};
        static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0};

        boolean startsWith(byte[] magic) {
            return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
        }

        static Spooled copy(InputStream in, Path to, long limit) throws IOException, Unreadable {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            boolean utf8 = true;
            boolean binary = false;
            byte[] head = null;
            long total = 0;
            ByteBuffer pending = ByteBuffer.allocate(64 * 1024 + 8);
            CharBuffer sink = CharBuffer.allocate(64 * 1024 + 8);
            try (var out = Files.newOutputStream(to)) {
                byte[] chunk = new byte[64 * 1024];
                for (int read; (read = in.read(chunk)) > 0; ) {
                    total += read;
                    if (total > limit) {
                        throw Unreadable.tooLarge(limit);
                    }
                    if (head == null) {
                        head = Arrays.copyOf(chunk, Math.min(read, 8));
                    }
                    for (int i = 0; i < read && !binary; i++) {
                        binary = chunk[i] == 0;
                    }
                    out.write(chunk, 0, read);
                    if (utf8 && !binary) {
                        pending.put(chunk, 0, read).flip();
                        utf8 = !decoder.decode(pending, sink.clear(), false).isError();
                        pending.compact();
                    }
                }
            }
            if (total == 0) {
                throw new Unreadable("the file is empty: the first row must name the columns");
            }
            if (utf8 && !binary) {
                pending.flip();
                try {
                    decoder.decode(pending, sink.clear(), true);
                    utf8 = !decoder.flush(sink).isError() && !pending.hasRemaining();
                } catch (IllegalStateException e) {
                    utf8 = false;
                }
            }
            return new Spooled(head, binary, utf8);
        }
    }
}
