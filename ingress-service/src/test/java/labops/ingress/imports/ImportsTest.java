package labops.ingress.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import labops.ingress.IngressTest;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.TenantFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * CSV and XLSX imports as a small lab's staff use them, through the API with real tokens: a file checked row by row with every
 * reason, nothing published before approval, a rejected row fixed, exactly the approved rows published with their
 * batch and row, and files that are not what they claim refused with a reason.
 */
class ImportsTest extends IngressTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HEADER = "order_number,mrn,family_name,given_name,birth_date,sex,tests,priority,notes\r\n";

    @Test
    void aFileIsCheckedRowByRowAndOnlyApprovedRowsArePublished() throws Exception {
        var lab = TenantFixture.create(tenantService());
        String csv = "\uFEFF" + HEADER
                + "PON-C1,MRN-1,Müller,Anna,1970-01-01,F,2345-7,stat,\"Fasting, since\nmidnight\"\r\n"
                // An order number a spreadsheet would evaluate: the report writes it as text.
                + "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",MRN-2,Roe,Ben,1970-13-45,M,2345-7,,\r\n"
                + "PON-C3,,Poe,Cy,1980-02-02,M,2345-7,,\r\n"
                + "PON-C4,MRN-4,Loe,Di,1990-03-03,X,,,\r\n"
                + "PON-C1,MRN-5,Moe,Ed,1975-04-04,M,2345-7,,\r\n"
                + "PON-C6,MRN-6,Do\u0007e,Fay,1985-05-05,F,2345-7,,\r\n";

        var uploaded = upload(lab.tenantId(), lab.staffToken(), csv.getBytes(StandardCharsets.UTF_8), "orders.csv");

        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(uploaded.body(), "$.rows")).isEqualTo(6);
        assertThat(JsonPath.<Integer>read(uploaded.body(), "$.valid")).isEqualTo(1);
        String batch = JsonPath.read(uploaded.body(), "$.id");
        String base = "/api/imports/" + lab.tenantId() + "/sandbox/" + batch;
        String rows = get(base, lab.staffToken()).body();
        assertThat(JsonPath.<List<Integer>>read(rows, "$.rows[*].row")).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[*].status"))
                .containsExactly("valid", "invalid", "invalid", "invalid", "invalid", "invalid");
        assertThat(JsonPath.<String>read(rows, "$.rows[0].values.family_name")).isEqualTo("Müller");
        assertThat(JsonPath.<String>read(rows, "$.rows[0].values.notes")).isEqualTo("Fasting, since\nmidnight");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[1].reasons"))
                .containsExactly("column 'birth_date': '1970-13-45' is not a date (yyyy-MM-dd)");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[2].reasons")).containsExactly("column 'mrn': must not be blank");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[3].reasons")).containsExactly(
                "column 'sex': must be female, male, other or unknown", "column 'tests': must not be empty");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[4].reasons"))
                .containsExactly("duplicate of row 2 (order number PON-C1)");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[5].reasons")).containsExactly(
                "column 'family_name': holds control character 0x07, which Lab Ops does not accept in text");
        var report = get(base + "/report", lab.staffToken());
        assertThat(report.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(report.body()).startsWith("row,status,order_number,reasons")
                .contains("2,valid,PON-C1,", "4,invalid,PON-C3,column 'mrn': must not be blank",
                        "3,invalid,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",column 'birth_date'");
        assertThat(published(lab.tenantId())).as("nothing is an order before approval").isEmpty();

        var fixed = put(base + "/rows/4", lab.staffToken(), "{\"values\": {\"mrn\": \"MRN-3\"}}");
        assertThat(JsonPath.<String>read(fixed.body(), "$.status")).isEqualTo("valid");
        var approved = post(base + "/approve", lab.staffToken(), "{\"rows\": [2, 4, 5]}");
        var again = post(base + "/approve", lab.staffToken(), "{\"rows\": [2]}");

        assertThat(JsonPath.<List<Integer>>read(approved.body(), "$.published[*].row")).containsExactly(2, 4);
        assertThat(JsonPath.<List<Integer>>read(approved.body(), "$.skipped[*].row")).containsExactly(5);
        assertThat(JsonPath.<List<Integer>>read(again.body(), "$.published[*].row")).isEmpty();
        var records = Eventually.await("the two approved rows published", Duration.ofSeconds(20), () -> {
            var found = published(lab.tenantId());
            return found.size() == 2 ? Optional.of(found) : Optional.empty();
        });
        assertThat(records).extracting(r -> header(r, RawHeaders.IMPORT_ROW)).containsExactlyInAnyOrder("2", "4");
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, RawHeaders.IMPORT_BATCH)).isEqualTo(batch);
            assertThat(header(r, RawHeaders.CHANNEL)).isEqualTo("upload");
        });
        assertThat(records).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .contains("\"orderNumber\":\"PON-C1\"", "Müller"));
        Eventually.await("the approval audited with who", Duration.ofSeconds(20), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.AUDIT_DECISIONS).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(d -> d.contains("import.approved") && d.contains(lab.tenantId()) && d.contains("rows [2, 4]"))
                .findFirst());
    }

    @Test
    void aHomeCollectionColumnMarksTheOrderForCollectionAtHome() throws Exception {
        var lab = TenantFixture.create(tenantService());
        String csv = "order_number,mrn,family_name,given_name,birth_date,sex,tests,home_collection,collection_address\r\n"
                + "PON-H1,MRN-1,Roe,Ann,1950-01-01,F,2345-7,yes,\"12 Oak Street, Springfield\"\r\n"
                + "PON-H2,MRN-2,Doe,Bo,1960-01-01,M,2345-7,no,\r\n"
                + "PON-H3,MRN-3,Poe,Cy,1970-01-01,M,2345-7,maybe,\r\n";

        var uploaded = upload(lab.tenantId(), lab.staffToken(), csv.getBytes(StandardCharsets.UTF_8), "home.csv");
        String base = "/api/imports/" + lab.tenantId() + "/sandbox/" + JsonPath.read(uploaded.body(), "$.id");
        String rows = get(base, lab.staffToken()).body();
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[*].status")).containsExactly("valid", "valid", "invalid");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[2].reasons"))
                .containsExactly("column 'home_collection': 'maybe' is not yes or no");

        post(base + "/approve", lab.staffToken(), "{\"rows\": [2, 3]}");
        var records = Eventually.await("the two rows published", Duration.ofSeconds(20), () -> {
            var found = published(lab.tenantId());
            return found.size() == 2 ? Optional.of(found) : Optional.empty();
        });
        var bodies = records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(bodies).filteredOn(b -> b.contains("PON-H1")).singleElement().satisfies(b -> assertThat(b)
                .contains("\"homeCollection\":{\"address\":{\"lines\":[\"12 Oak Street, Springfield\"]"));
        assertThat(bodies).filteredOn(b -> b.contains("PON-H2")).singleElement().satisfies(b -> assertThat(b)
                .doesNotContain("\"homeCollection\":{"));
    }

    @Test
    void encodingsAndFilesThatAreNotCsvAreAnsweredWithAReason() throws Exception {
        var lab = TenantFixture.create(tenantService());
        byte[] windows1252 = (HEADER + "PON-W1,MRN-1,Müller,Jörg,1970-01-01,M,2345-7,,\r\n")
                .getBytes(Charset.forName("windows-1252"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        byte[] xls = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0};
        var big = new ByteArrayOutputStream();
        big.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
        byte[] line = "PON-B,MRN-B,Doe,Jane,1970-01-01,F,2345-7,,some notes to make the file large enough\r\n"
                .getBytes(StandardCharsets.UTF_8);
        while (big.size() < 25 * 1024 * 1024) {
            big.writeBytes(line);
        }

        var legacy = upload(lab.tenantId(), lab.staffToken(), windows1252, "export.csv");
        var empty = upload(lab.tenantId(), lab.staffToken(), new byte[0], "empty.csv");
        var headerOnly = upload(lab.tenantId(), lab.staffToken(), HEADER.getBytes(StandardCharsets.UTF_8), "h.csv");
        var binary = upload(lab.tenantId(), lab.staffToken(), png, "scan.csv");
        var notAWorkbook = upload(lab.tenantId(), lab.staffToken(), zip, "sheet.csv");
        var legacyWorkbook = upload(lab.tenantId(), lab.staffToken(), xls, "orders.xls");
        var tooLarge = upload(lab.tenantId(), lab.staffToken(), big.toByteArray(), "big.csv");
        var wrongColumns = upload(lab.tenantId(), lab.clientToken(), "a,b\r\n1,2\r\n".getBytes(StandardCharsets.UTF_8),
                "other.csv");

        assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(201);
        String rows = get("/api/imports/" + lab.tenantId() + "/sandbox/" + JsonPath.read(legacy.body(), "$.id"),
                lab.staffToken()).body();
        assertThat(JsonPath.<String>read(rows, "$.rows[0].values.given_name")).isEqualTo("Jörg");
        assertThat(JsonPath.<String>read(rows, "$.rows[0].status")).isEqualTo("valid");
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(empty.body(), "$.detail")).contains("the file is empty");
        assertThat(headerOnly.statusCode()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(headerOnly.body(), "$.rows")).isZero();
        assertThat(binary.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(binary.body(), "$.detail")).contains("not a CSV or XLSX file");
        assertThat(notAWorkbook.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(notAWorkbook.body(), "$.detail")).contains("not an XLSX workbook");
        assertThat(legacyWorkbook.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(legacyWorkbook.body(), "$.detail")).contains("Excel 97-2003");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JsonPath.<String>read(tooLarge.body(), "$.detail")).contains("larger than 20 MB");
        assertThat(wrongColumns.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(wrongColumns.body(), "$.detail")).contains("no column for orderNumber");
    }

    @Test
    void anXlsxWorkbookIsReadFromItsFirstOrTheChosenSheet() throws Exception {
        var lab = TenantFixture.create(tenantService());
        byte[] workbook = twoSheets();

        var first = upload(lab.tenantId(), lab.staffToken(), workbook, "orders.xlsx");
        var unknown = upload(lab.tenantId(), lab.staffToken(), workbook, "orders.xlsx&sheet=Nope");
        var chosen = upload(lab.tenantId(), lab.staffToken(), workbook, "orders.xlsx&sheet=Orders");

        assertThat(first.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(first.body(), "$.detail")).contains("no column for orderNumber",
                "its columns are [Read me first]");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(JsonPath.<String>read(unknown.body(), "$.detail"))
                .isEqualTo("the workbook has no sheet 'Nope': its sheets are [Instructions, Orders]");
        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(201);
        String base = "/api/imports/" + lab.tenantId() + "/sandbox/" + JsonPath.read(chosen.body(), "$.id");
        String rows = get(base, lab.staffToken()).body();
        assertThat(JsonPath.<List<Integer>>read(rows, "$.rows[*].row")).as("the blank row 3 is no row").containsExactly(2, 4, 5);
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[*].status")).containsExactly("valid", "invalid", "invalid");
        assertThat(JsonPath.<String>read(rows, "$.rows[0].values.mrn")).isEqualTo("123456789012");
        assertThat(JsonPath.<String>read(rows, "$.rows[0].values.birth_date")).isEqualTo("1970-01-31");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[1].reasons"))
                .containsExactly("column 'birth_date': '31.02.1970' is not a date (yyyy-MM-dd)");
        assertThat(JsonPath.<List<String>>read(rows, "$.rows[2].reasons"))
                .containsExactly("duplicate of row 2 (order number PON-X1)");

        var approved = post(base + "/approve", lab.staffToken(), "{}");

        assertThat(JsonPath.<List<Integer>>read(approved.body(), "$.published[*].row")).containsExactly(2);
        var record = Eventually.await("the approved row published", Duration.ofSeconds(20), () ->
                published(lab.tenantId()).stream().findFirst());
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .contains("\"mrn\":\"123456789012\"", "\"birthDate\":\"1970-01-31\"", "\"orderNumber\":\"PON-X1\"");
    }

    /** A workbook as a lab keeps one: instructions first, the orders on a second sheet with a date cell. */
    private static byte[] twoSheets() throws Exception {
        try (var workbook = new XSSFWorkbook(); var out = new ByteArrayOutputStream()) {
            workbook.createSheet("Instructions").createRow(0).createCell(0).setCellValue("Read me first");
            var orders = workbook.createSheet("Orders");
            var dates = workbook.createCellStyle();
            dates.setDataFormat(workbook.createDataFormat().getFormat("dd/mm/yyyy"));
            String[] header = {"order_number", "mrn", "family_name", "given_name", "birth_date", "sex", "tests"};
            var row = orders.createRow(0);
            for (int i = 0; i < header.length; i++) {
                row.createCell(i).setCellValue(header[i]);
            }
            Object[][] data = {{"PON-X1", 123456789012d, "Muller", "Anna", LocalDate.of(1970, 1, 31), "F", "2345-7"},
                    null, {"PON-X2", "MRN-2", "Roe", "Ben", "31.02.1970", "M", "2345-7"},
                    {"PON-X1", "MRN-3", "Poe", "Cy", LocalDate.of(1980, 2, 2), "M", "2345-7"}};
            for (int r = 0; r < data.length; r++) {
                if (data[r] == null) {
                    continue;
                }
                row = orders.createRow(r + 1);
                for (int c = 0; c < data[r].length; c++) {
                    var cell = row.createCell(c);
                    if (data[r][c] instanceof Double number) {
                        cell.setCellValue(number);
                    } else if (data[r][c] instanceof LocalDate date) {
                        cell.setCellValue(date);
                        cell.setCellStyle(dates);
                    } else {
                        cell.setCellValue((String) data[r][c]);
                    }
                }
            }
            workbook.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void aLargeFilesProgressIsReadableUnderTheBatchIdItsUploaderChose() throws Exception {
        var lab = TenantFixture.create(tenantService());
        var id = java.util.UUID.randomUUID();
        var file = new StringBuilder(HEADER);
        for (int i = 0; i < 60_000; i++) {
            file.append("PON-L").append(i).append(",MRN-").append(i % 997).append(",Doe,Jane,1970-01-01,F,2345-7,,\r\n");
        }
        String path = "/api/imports/" + lab.tenantId() + "/sandbox";

        var pending = HTTP.sendAsync(request(path + "?fileName=large.csv&batchId=" + id, lab.staffToken())
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(file.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        var seen = new java.util.TreeSet<Integer>();
        while (!pending.isDone()) {
            var batch = get(path + "/" + id + "?limit=1", lab.staffToken());
            if (batch.statusCode() == 200) {
                seen.add(JsonPath.<Integer>read(batch.body(), "$.batch.rows"));
            }
            Thread.sleep(20);
        }

        assertThat(pending.get().statusCode()).as(pending.get().body()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(pending.get().body(), "$.rows")).isEqualTo(60_000);
        assertThat(seen).as("rows checked so far, read while the file was being checked")
                .anyMatch(rows -> rows > 0 && rows < 60_000);
        var again = HTTP.send(request(path + "?fileName=again.csv&batchId=" + id, lab.staffToken())
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(HEADER)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
    }

    private List<ConsumerRecord<byte[], byte[]>> published(String tenant) {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_CSV).stream()
                .filter(r -> header(r, RawHeaders.TENANT).equals(tenant)).toList();
    }

    private HttpResponse<String> upload(String tenant, String token, byte[] file, String name) throws Exception {
        return HTTP.send(request("/api/imports/" + tenant + "/sandbox?fileName=" + name, token)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> put(String path, String token, String json) throws Exception {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String json) throws Exception {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
