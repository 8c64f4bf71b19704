package labops.ingress.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A spooled CSV file read with Apache Commons CSV: UTF-8 with or without a byte-order mark, else Windows-1252 (what
 * spreadsheet programs write); quoted fields with commas, quotes and newlines. The first record names the columns.
 */
final class CsvFile implements OrderFile {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Path spooled;
    private final CSVParser parser;
    private final List<String> columns;

    private CsvFile(Path spooled, CSVParser parser) {
        this.spooled = spooled;
        this.parser = parser;
        this.columns = parser.getHeaderNames();
    }

    static CsvFile open(Path spooled, Charset charset) throws IOException, Unreadable {
        Reader reader = new InputStreamReader(skipBom(new BufferedInputStream(Files.newInputStream(spooled))), charset);
        CsvFile file;
        try {
            file = new CsvFile(spooled, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                    .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).get().parse(reader));
        } catch (IllegalArgumentException | UncheckedIOException | CSVException e) {
            reader.close();
            throw new Unreadable("the header row cannot be read: " + e.getMessage());
        }
        if (file.columns.isEmpty()) {
            file.close();
            throw new Unreadable("the file is empty: the first row must name the columns");
        }
        return file;
    }

    private static InputStream skipBom(BufferedInputStream in) throws IOException {
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (head.length < 3 || head[0] != BOM[0] || head[1] != BOM[1] || head[2] != BOM[2]) {
            in.reset();
        }
        return in;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public void forEachRow(Consumer<Row> each) {
        for (CSVRecord record : parser) {
            var values = new LinkedHashMap<String, String>();
            for (int i = 0; i < columns.size() && i < record.size(); i++) {
                values.put(columns.get(i), record.get(i));
            }
            // The header is row 1; a row's number is its first line's.
            each.accept(new Row(record.getRecordNumber() + 1, values));
        }
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
