package labops.ingress.imports;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipException;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JRuntimeException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.RecordFormatException;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A spooled XLSX workbook read with Apache POI's streaming (SAX) reader, one row at a time: the first sheet or the one
 * named. Its first non-empty row names the columns; a row's number is the one the sheet shows. Cells read as the
 * sheet shows them, except date cells, which read as ISO dates (whatever the mapping's date format, a date cell is a
 * date) and whole numbers in the General format, which read in full (an MRN of 12 digits is not 1.23457E+11).
 */
final class XlsxFile implements OrderFile {

    private final Path spooled;
    private final OPCPackage workbook;
    private final XSSFReader reader;
    private final StylesTable styles;
    private final ReadOnlySharedStringsTable strings;
    private final String sheet;
    private final List<String> columns;

    private XlsxFile(Path spooled, OPCPackage workbook, String sheet) throws IOException, OpenXML4JException,
            SAXException, Unreadable {
        this.spooled = spooled;
        this.workbook = workbook;
        this.reader = new XSSFReader(workbook);
        this.styles = reader.getStylesTable();
        this.strings = new ReadOnlySharedStringsTable(workbook, false);
        this.sheet = sheet(reader, sheet);
        this.columns = header();
    }

    static XlsxFile open(Path spooled, String sheet) throws IOException, Unreadable {
        OPCPackage workbook;
        try {
            workbook = OPCPackage.open(spooled.toFile(), PackageAccess.READ);
        } catch (OpenXML4JException | OpenXML4JRuntimeException | RecordFormatException | IllegalArgumentException e) {
            Files.deleteIfExists(spooled);
            throw new Unreadable("a ZIP file that is not an XLSX workbook: save the sheet as XLSX or CSV");
        }
        try {
            return new XlsxFile(spooled, workbook, sheet);
        } catch (OpenXML4JException | SAXException | RuntimeException | IOException e) {
            // The spooled copy was just written whole: what fails reading it (a broken deflate stream, a part POI
            // cannot parse, which it reports as an IOException) is the file's damage.
            workbook.revert();
            Files.deleteIfExists(spooled);
            throw new Unreadable("the workbook cannot be read: it is damaged or not an XLSX workbook");
        } catch (Unreadable e) {
            workbook.revert();
            Files.deleteIfExists(spooled);
            throw e;
        }
    }

    /** The sheet wanted, or the first; every sheet's name is in the answer when it is not there. */
    private static String sheet(XSSFReader reader, String wanted) throws IOException, OpenXML4JException, Unreadable {
        var names = new ArrayList<String>();
        for (var sheets = reader.getSheetIterator(); sheets.hasNext(); ) {
            sheets.next().close();
            names.add(sheets.getSheetName());
        }
        if (names.isEmpty()) {
            throw new Unreadable("the workbook has no sheet");
        }
        if (wanted == null || wanted.isBlank()) {
            return names.get(0);
        }
        return names.stream().filter(name -> name.equalsIgnoreCase(wanted.trim())).findFirst()
                .orElseThrow(() -> new Unreadable("the workbook has no sheet '" + wanted + "': its sheets are "
                        + names));
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public void forEachRow(Consumer<Row> each) throws IOException, Unreadable {
        read(new Rows(columns, each));
    }

    /** Reads the sheet only as far as its first non-empty row. */
    private List<String> header() throws IOException, Unreadable {
        var header = new ArrayList<String>();
        try {
            read(new Rows(null, row -> {
                throw new HeaderRead(row.values().values());
            }));
        } catch (HeaderRead read) {
            header.addAll(read.names);
        }
        if (header.stream().allMatch(String::isBlank)) {
            throw new Unreadable("the sheet '" + sheet + "' is empty: its first row must name the columns");
        }
        return List.copyOf(header);
    }

    private void read(Rows rows) throws IOException, Unreadable {
        try (InputStream data = sheetData()) {
            var parser = XMLHelper.newXMLReader();
            parser.setContentHandler(new XSSFSheetXMLHandler(styles, strings, rows, new SheetFormatter(), false));
            parser.parse(new InputSource(data));
        } catch (SAXException | ParserConfigurationException | OpenXML4JException | ZipException | EOFException e) {
            // A broken deflate stream or a cut entry in the spooled copy is the file's damage.
            throw new Unreadable("the sheet '" + sheet + "' cannot be read: it is damaged");
        }
    }

    private InputStream sheetData() throws IOException, OpenXML4JException {
        for (var sheets = reader.getSheetIterator(); sheets.hasNext(); ) {
            InputStream data = sheets.next();
            if (sheets.getSheetName().equals(sheet)) {
                return data;
            }
            data.close();
        }
        throw new IllegalStateException("sheet " + sheet + " gone from an open workbook");
    }

    @Override
    public void close() throws IOException {
        try {
            workbook.revert();
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    /** Stops reading at the header: the only way out of a SAX parse. */
    private static final class HeaderRead extends RuntimeException {

        private final List<String> names;

        HeaderRead(java.util.Collection<String> names) {
            super(null, null, false, false);
            this.names = List.copyOf(names);
        }
    }

    /**
     * Collects a row's cells by column and hands it on; the header (the first non-empty row) is read when
     * {@code columns} is null, as a row whose values are the column names in order.
     */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {

        private final List<String> columns;
        private final Consumer<Row> each;
        private final TreeMap<Integer, String> cells = new TreeMap<>();
        private boolean headerSeen;

        Rows(List<String> columns, Consumer<Row> each) {
            this.columns = columns;
            this.each = each;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            if (reference != null && value != null && !value.isBlank()) {
                cells.put((int) new CellReference(reference).getCol(), value.trim());
            }
        }

        @Override
        public void endRow(int rowNum) {
            if (cells.isEmpty()) {
                return;
            }
            if (columns == null) {
                var names = new LinkedHashMap<String, String>();
                for (int col = 0; col <= cells.lastKey(); col++) {
                    names.put(Integer.toString(col), cells.getOrDefault(col, ""));
                }
                each.accept(new Row(rowNum + 1L, names));
                return;
            }
            if (!headerSeen) {
                headerSeen = true;
                return;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int col = 0; col < columns.size(); col++) {
                if (!columns.get(col).isBlank()) {
                    values.put(columns.get(col), cells.getOrDefault(col, ""));
                }
            }
            each.accept(new Row(rowNum + 1L, values));
        }
    }

    /** The sheet's formatting, but dates as ISO dates and General whole numbers in full. */
    private static final class SheetFormatter extends DataFormatter {

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                LocalDateTime at = DateUtil.getLocalDateTime(value);
                return at.toLocalTime().equals(LocalTime.MIDNIGHT) ? at.toLocalDate().toString() : at.toString();
            }
            if (formatIndex == 0 && value == Math.rint(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value);
            }
            return super.formatRawCellContents(value, formatIndex, formatString);
        }
    }
}
