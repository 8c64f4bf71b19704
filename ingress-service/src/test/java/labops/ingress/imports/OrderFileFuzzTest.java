package labops.ingress.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import labops.testsupport.HostileInputs;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * CSV and XLSX files as an unlucky or hostile sender uploads them: samples truncated, spliced, with control and
 * delimiter bytes, huge fields, or random bytes altogether. Reading one always ends in rows or in {@link
 * OrderFile.Unreadable} (422 with a reason) or an unclosed quote (422, {@code UncheckedIOException}), the only outcomes
 * the import endpoint answers without a 500; and every row read has the header's columns.
 */
class OrderFileFuzzTest {

    private static final String CSV = """
            placer_order_number,mrn,family,given,birth_date,sex,test_code,priority,notes
            PON-1,MRN-1,DOE,JANE,1970-01-01,F,2345-7,routine,"fasting, since midnight"
            PON-2,MRN-2,"O""BRIEN",SEAN,1981-02-03,M,GLU,stat,
            PON-3,MRN-3,ROE,RICHARD,1990-12-31,M,718-7,,"two
            lines"
            """;

    @Property
    void aCsvIsReadIntoRowsOrRefusedWithAReason(@ForAll("csvFiles") byte[] file) {
        assertReadOrRefused(file);
    }

    @Property
    void anXlsxIsReadIntoRowsOrRefusedWithAReason(@ForAll("xlsxFiles") byte[] file) {
        assertReadOrRefused(file);
    }

    private static void assertReadOrRefused(byte[] file) {
        try (OrderFile read = OrderFile.read(new ByteArrayInputStream(file), 1 << 20, null)) {
            List<String> columns = read.columns();
            var rows = new ArrayList<OrderFile.Row>();
            read.forEachRow(rows::add);
            assertThat(rows).allSatisfy(row -> assertThat(columns).containsAll(row.values().keySet()));
        } catch (OrderFile.Unreadable refused) {
            assertThat(refused.getMessage()).isNotBlank();
        } catch (UncheckedIOException unclosedQuote) {
            // Answered 422 "a quoted field is not closed, or a row is broken".
            assertThat(unclosedQuote.getCause()).isInstanceOf(IOException.class);
        } catch (IOException e) {
            throw new AssertionError("an I/O failure reading an uploaded file would be a 500", e);
        }
    }

    @Provide
    Arbitrary<byte[]> csvFiles() {
        return HostileInputs.mutationsOf(CSV.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> xlsxFiles() {
        return HostileInputs.mutationsOf(workbook());
    }

    private static byte[] workbook() {
        try (var workbook = new XSSFWorkbook(); var out = new ByteArrayOutputStream()) {
            var sheet = workbook.createSheet("Orders");
            String[][] cells = {{"placer_order_number", "mrn", "family", "birth_date", "test_code"},
                    {"PON-1", "MRN-1", "DOE", "1970-01-01", "2345-7"}, {"PON-2", "MRN-2", "ROE", "1981-02-03", "GLU"}};
            for (int r = 0; r < cells.length; r++) {
                var row = sheet.createRow(r);
                for (int c = 0; c < cells[r].length; c++) {
                    row.createCell(c).setCellValue(cells[r][c]);
                }
            }
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
