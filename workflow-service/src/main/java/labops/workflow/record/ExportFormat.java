package labops.workflow.record;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import labops.schemas.SpreadsheetCells;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * How an export is written, row by row as the database hands rows over: CSV (UTF-8, times in ISO 8601 UTC, cells a
 * spreadsheet would evaluate written as text by {@link SpreadsheetCells}) goes out as it is written; XLSX (every value a
 * string cell but times, so nothing is a formula) keeps at most {@value #XLSX_WINDOW} rows in memory (POI's SXSSF spills the rest to a
 * temporary file) and goes out when complete, times as date cells in UTC.
 */
enum ExportFormat {

    CSV("text/csv", "csv"),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");

    private static final int XLSX_WINDOW = 200;

    /** A table being written. */
    interface Table extends Closeable {
        void row(List<?> values) throws IOException;
    }

    final String mediaType;
    final String extension;

    ExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    static ExportFormat of(String name) {
        for (ExportFormat format : values()) {
            if (format.extension.equalsIgnoreCase(name)) {
                return format;
            }
        }
        return null;
    }

    Table open(OutputStream out, String sheet, List<String> header) throws IOException {
        return this == CSV ? csv(out, header) : xlsx(out, sheet, header);
    }

    private static Table csv(OutputStream out, List<String> header) throws IOException {
        var printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get());
        return new Table() {
            @Override
            public void row(List<?> values) throws IOException {
                printer.printRecord(values.stream().map(v -> v == null ? "" : SpreadsheetCells.text(v.toString())));
            }

            @Override
            public void close() throws IOException {
                printer.close(true);
            }
        };
    }

    private static Table xlsx(OutputStream out, String name, List<String> header) {
        var workbook = new SXSSFWorkbook(XLSX_WINDOW);
        SXSSFSheet sheet = workbook.createSheet(name);
        CellStyle times = workbook.createCellStyle();
        times.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
        var first = sheet.createRow(0);
        for (int i = 0; i < header.size(); i++) {
            first.createCell(i).setCellValue(header.get(i));
        }
        sheet.createFreezePane(0, 1);
        return new Table() {
            private int next = 1;

            @Override
            public void row(List<?> values) {
                var row = sheet.createRow(next++);
                for (int i = 0; i < values.size(); i++) {
                    Object value = values.get(i);
                    if (value instanceof Instant instant) {
                        var cell = row.createCell(i);
                        cell.setCellValue(instant.atOffset(ZoneOffset.UTC).toLocalDateTime());
                        cell.setCellStyle(times);
                    } else if (value != null) {
                        row.createCell(i).setCellValue(value.toString());
                    }
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    workbook.write(out);
                } finally {
                    workbook.close();
                }
            }
        };
    }
}
