package labops.workflow.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.events.CodedConcept;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.events.OrderAction;
import labops.events.ReferenceRange;
import labops.events.ResultStatus;
import labops.schemas.topic.Topics;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.Eventually;
import labops.testsupport.SampleEvents;
import labops.workflow.CanonicalEvents;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A lab downloads its orders, with what they came to, and its results for a range of days, as CSV and XLSX, with the
 * tokens its staff and its API client hold; a redelivered event is exported once. Ingress asks which order numbers
 * are orders already.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExportsTest extends ApiAccessContract {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void ordersWithTheirStatusAndResultsForARangeOfDaysAsCsvAndXlsx() throws Exception {
        var lab = tenant();
        String tenant = lab.tenantId();
        var resulted = SampleEvents.labOrder(tenant, "PON-E1");
        var cancelled = SampleEvents.labOrder(tenant, "PON-E2");
        var held = SampleEvents.labOrder(tenant, "PON-E3");
        var october = received(SampleEvents.labOrder(tenant, "PON-OCT"), "2026-10-01T10:00:00Z");
        var result = result(tenant, "PON-E1");
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(resulted, cancelled, held, october,
                followUp(cancelled, OrderAction.CANCEL), followUp(held, OrderAction.HOLD), resulted));
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(result, result));
        String base = "/api/exports/" + tenant + "/sandbox/";

        List<CSVRecord> orders = Eventually.await("the orders and the result recorded", Duration.ofSeconds(30), () -> {
            var rows = csv(get(base + "orders?from=2026-11-01&to=2026-11-25", lab.staffToken()).body());
            return rows.size() == 3 && rows.get(0).get("status").startsWith("resulted") ? Optional.of(rows)
                    : Optional.empty();
        });
        var results = get(base + "results?from=2026-11-25&to=2026-11-25&format=xlsx", lab.clientToken());
        var known = api().withToken(lab.staffToken()).post("/api/tenants/" + tenant
                + "/environments/sandbox/orders/known", "{\"orderNumbers\": [\"PON-E2\", \"PON-NEW\", \"PON-OCT\"]}");

        assertThat(orders).extracting(r -> r.get("order_number") + " " + r.get("status"))
                .containsExactly("PON-E1 resulted-final", "PON-E2 cancelled", "PON-E3 on-hold");
        assertThat(orders.get(0).get("tests")).isEqualTo("2345-7 Glucose [Mass/volume] in Serum or Plasma");
        assertThat(orders.get(0).get("patient_id")).isEqualTo("MRN-TEST-1");
        assertThat(orders.get(0).get("received_at")).isEqualTo("2026-11-25T08:30:00Z");
        assertThat(orders.get(0).get("source")).isEqualTo("hl7v2 via mllp");
        assertThat(JsonPath.<Map<String, String>>read(known.body(), "$")).as(known.body())
                .containsExactly(Map.entry("PON-E2", "2026-11-25T08:30:00Z"), Map.entry("PON-OCT", "2026-10-01T10:00:00Z"));
        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(results.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d)
                .contains(tenant + "-sandbox-results-2026-11-25-2026-11-25.xlsx"));
        try (var workbook = new XSSFWorkbook(new ByteArrayInputStream(results.body()))) {
            var sheet = workbook.getSheet("results");
            var cells = new DataFormatter();
            assertThat(sheet.getLastRowNum()).as("two observations, the redelivered result not again").isEqualTo(2);
            assertThat(cells.formatCellValue(sheet.getRow(0).getCell(0))).isEqualTo("order_number");
            var potassium = sheet.getRow(1);
            assertThat(List.of(0, 1, 3, 6, 7, 8, 9).stream().map(i -> cells.formatCellValue(potassium.getCell(i))))
                    .containsExactly("PON-E1", "final", "2823-3", "6.9", "mmol/L", "3.5-5.1", "critical-high");
            assertThat(potassium.getCell(12).getLocalDateTimeCellValue()).hasToString("2026-11-25T08:30");
            assertThat(cells.formatCellValue(sheet.getRow(2).getCell(6))).isEqualTo("Positive");
        }
    }

    @Test
    void aCellASpreadsheetWouldEvaluateIsExportedAsText() throws Exception {
        var lab = tenant();
        String formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(SampleEvents.labOrder(lab.tenantId(), formula)));
        String orders = "/api/exports/" + lab.tenantId() + "/sandbox/orders?from=2026-11-25&to=2026-11-25";

        List<CSVRecord> rows = Eventually.await("the order recorded", Duration.ofSeconds(30), () -> {
            var found = csv(get(orders, lab.staffToken()).body());
            return found.size() == 1 ? Optional.of(found) : Optional.empty();
        });
        var xlsx = get(orders + "&format=xlsx", lab.staffToken());

        assertThat(rows.get(0).get("order_number")).isEqualTo("'" + formula);
        try (var workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            var cell = workbook.getSheetAt(0).getRow(1).getCell(0);
            assertThat(cell.getCellType()).as("a string cell, never a formula").isEqualTo(CellType.STRING);
            assertThat(cell.getStringCellValue()).isEqualTo(formula);
        }
    }

    @Test
    void aRangeOrFormatThatDoesNotReadIsAnsweredWithAProblem() throws Exception {
        var lab = tenant();
        String base = "/api/exports/" + lab.tenantId() + "/sandbox/orders";

        var notADate = get(base + "?from=25.11.2026", lab.staffToken());
        var backwards = get(base + "?from=2026-11-25&to=2026-11-01", lab.staffToken());
        var pdf = get(base + "?from=2026-11-25&format=pdf", lab.staffToken());
        var none = get(base + "?from=2020-01-01&to=2020-01-31", lab.staffToken());

        assertThat(List.of(notADate, backwards, pdf)).extracting(HttpResponse::statusCode).containsOnly(400);
        assertThat(JsonPath.<String>read(new String(notADate.body()), "$.detail"))
                .isEqualTo("from: '25.11.2026' is not a date (yyyy-mm-dd)");
        assertThat(JsonPath.<String>read(new String(backwards.body()), "$.detail"))
                .isEqualTo("to (2026-11-01) is before from (2026-11-25)");
        assertThat(JsonPath.<String>read(new String(pdf.body()), "$.detail")).isEqualTo("format: 'pdf' is not csv or xlsx");
        assertThat(new String(none.body())).as("an empty range is the header alone")
                .isEqualTo(String.join(",", ExportController.ORDER_COLUMNS) + "\r\n");
    }

    private static LabResultEvent result(String tenant, String order) {
        var result = SampleEvents.labResult(tenant, order, Interpretation.CRITICAL_HIGH);
        var observations = new ArrayList<>(result.getObservations());
        observations.set(0, Observation.newBuilder(observations.get(0))
                .setReferenceRange(new ReferenceRange(3.5, 5.1, null)).build());
        observations.add(Observation.newBuilder().setCode(new CodedConcept("94500-6", "http://loinc.org", "SARS-CoV-2"))
                .setValue("Positive").setStatus(ResultStatus.FINAL).build());
        return LabResultEvent.newBuilder(result).setObservations(observations).build();
    }

    private static LabOrderEvent received(LabOrderEvent order, String at) {
        var source = order.getSource();
        source.setReceivedAt(Instant.parse(at));
        return LabOrderEvent.newBuilder(order).setSource(source).build();
    }

    private static LabOrderEvent followUp(LabOrderEvent order, OrderAction action) {
        return LabOrderEvent.newBuilder(order).setEventId(UUID.randomUUID()).setAction(action).build();
    }

    private static List<CSVRecord> csv(byte[] body) {
        try {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(new String(body))).getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<byte[]> get(String path, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
