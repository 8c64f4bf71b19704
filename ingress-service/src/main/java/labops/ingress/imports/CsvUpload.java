package labops.ingress.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An uploaded CSV file, spooled to disk as it arrives (never whole in memory) and read with Apache Commons CSV: UTF-8
 * with or without a byte-order mark, else Windows-1252 (what spreadsheet programs write); quoted fields with commas,
 * quotes and newlines. The first record names the columns.
 */
final class CsvUpload implements AutoCloseable {

    /** A file that cannot be read as CSV; the reason is safe to show. */
    static final class Unreadable extends Exception {

        Unreadable(String reason) {
            super(reason);
        }
    }

    /** One data row: its number in the file (the header is row 1) and its values by column name. */
    record Row(long number, Map<String, String> values) {
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final Path spooled;
    private final Charset charset;
    private final CSVParser parser;
    private final List<String> columns;

    private CsvUpload(Path spooled, Charset charset) throws IOException, Unreadable {
        this.spooled = spooled;
        this.charset = charset;
        Reader reader = new InputStreamReader(skipBom(new BufferedInputStream(Files.newInputStream(spooled))), charset);
        try {
            this.parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                    .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).get().parse(reader);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            reader.close();
            throw new Unreadable("the header row cannot be read: " + e.getMessage());
        }
        this.columns = parser.getHeaderNames();
        if (columns.isEmpty()) {
            close();
            throw new Unreadable("the file is empty: the first row must name the columns");
        }
    }

    /**
     * Spools {@code in} (at most {@code limit} bytes) and opens it. Refuses binary content (a NUL byte: e.g. a
     * spreadsheet renamed .csv) and an empty file.
     */
    static CsvUpload read(InputStream in, long limit) throws IOException, Unreadable {
        Path spooled = Files.createTempFile("labops-import-", ".csv");
        try {
            boolean utf8 = spool(in, spooled, limit);
            return new CsvUpload(spooled, utf8 ? StandardCharsets.UTF_8 : WINDOWS_1252);
        } catch (IOException | Unreadable | RuntimeException e) {
            Files.deleteIfExists(spooled);
            throw e;
        }
    }

    /** Copies, checking size, NUL bytes and whether every byte sequence is valid UTF-8. */
    private static boolean spool(InputStream in, Path to, long limit) throws IOException, Unreadable {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean utf8 = true;
        long total = 0;
        ByteBuffer pending = ByteBuffer.allocate(64 * 1024 + 8);
        CharBuffer sink = CharBuffer.allocate(64 * 1024 + 8);
        try (var out = Files.newOutputStream(to)) {
            byte[] chunk = new byte[64 * 1024];
            for (int read; (read = in.read(chunk)) > 0; ) {
                total += read;
                if (total > limit) {
                    throw new Unreadable("larger than " + limit / (1024 * 1024) + " MB: split the file");
                }
                for (int i = 0; i < read; i++) {
                    if (chunk[i] == 0) {
                        throw new Unreadable("not a CSV file (binary content): save the sheet as CSV, or upload XLSX "
                                + "when that is supported");
                    }
                }
                out.write(chunk, 0, read);
                if (utf8) {
                    pending.put(chunk, 0, read).flip();
                    var result = decoder.decode(pending, sink.clear(), false);
                    utf8 = !result.isError();
                    pending.compact();
                }
            }
        }
        if (total == 0) {
            throw new Unreadable("the file is empty: the first row must name the columns");
        }
        if (utf8) {
            pending.flip();
            try {
                decoder.decode(pending, sink.clear(), true);
                utf8 = !decoder.flush(sink).isError() && !pending.hasRemaining();
            } catch (IllegalStateException e) {
                utf8 = false;
            }
        }
        return utf8;
    }

    private static InputStream skipBom(BufferedInputStream in) throws IOException {
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (head.length < 3 || head[0] != BOM[0] || head[1] != BOM[1] || head[2] != BOM[2]) {
            in.reset();
        }
        return in;
    }

    Charset charset() {
        return charset;
    }

    List<String> columns() {
        return columns;
    }

    /** The data rows, read one at a time. */
    Iterator<Row> rows() {
        Iterator<CSVRecord> records = parser.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Row next() {
                CSVRecord record = records.next();
                var values = new LinkedHashMap<String, String>();
                for (int i = 0; i < columns.size() && i < record.size(); i++) {
                    values.put(columns.get(i), record.get(i));
                }
                // The header is row 1; a row's number is its first line's.
                return new Row(record.getRecordNumber() + 1, values);
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            parser.close();
        } finally {
            Files.deleteIfExists(spooled);
        }
    }
}
