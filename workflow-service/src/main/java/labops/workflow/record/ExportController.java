package labops.workflow.record;

import java.util.Arrays;
import java.util.List;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import labops.workflow.DayRange;
import labops.workflow.report.Reports;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A tenant's orders (with what they came to) and its result observations for a date range, as CSV or XLSX, streamed
 * from the database as they are written. The range is of the days (UTC) Lab Ops received them, both days included.
 * Every export is in the audit log with who took it.
 */
@RestController
class ExportController {

    static final List<String> ORDER_COLUMNS = List.of("order_number", "status", "priority", "tests", "patient_id",
            "ordered_at", "received_at", "updated_at", "source", "labops_message_id");
    static final List<String> RESULT_COLUMNS = List.of("order_number", "result_status", "issued_at", "test_code",
            "test_system", "test_name", "value", "unit", "reference_range", "flags", "observation_status",
            "observed_at", "received_at", "labops_message_id");

    static final List<String> TURNAROUND_COLUMNS = List.of("priority", "tests", "orders", "resulted",
            "order_to_result_median_min", "order_to_result_p90_min", "received_to_collected_median_min",
            "received_to_result_median_min", "result_to_release_median_min", "release_to_delivery_median_min",
            "within_target_percent",
            "target_min");
    static final List<String> TASK_COLUMNS = List.of("kind", "open", "overdue", "oldest_min");
    static final List<String> VOLUME_COLUMNS = List.of("source", "status", "orders");

    private final Records records;
    private final Reports reports;
    private final TransactionTemplate readOnly;
    private final AuditPublisher audit;

    ExportController(Records records, Reports reports, PlatformTransactionManager transactions, AuditPublisher audit) {
        this.records = records;
        this.reports = reports;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.audit = audit;
    }

    /**
     * {@code kind}: orders or results received in the range; or a reporting table of them: turnaround (by priority and
     * tests), tasks (open tasks by kind, now), volume (orders by source and status).
     */
    @GetMapping("/api/exports/{tenantId}/{environment}/{kind:orders|results|turnaround|tasks|volume}")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_READ, Scopes.RESULTS_READ})
    ResponseEntity<StreamingResponseBody> export(Caller caller, @PathVariable String tenantId,
                                                 @PathVariable String environment, @PathVariable String kind,
                                                 @RequestParam String from, @RequestParam(required = false) String to,
                                                 @RequestParam(defaultValue = "csv") String format) {
        var range = new DayRange(from, to);
        switch (kind) {
            case "turnaround" -> {
                return export(caller, tenantId, environment, kind, range, format(format), TURNAROUND_COLUMNS,
                        table -> rows(table, reports.turnaround(tenantId, environment, range.start(), range.end())
                                .stream().map(t -> Arrays.<Object>asList(t.priority(), t.tests(), t.orders(),
                                        t.resulted(), t.orderToResultMedian(), t.orderToResultP90(),
                                        t.receivedToCollectedMedian(), t.receivedToResultMedian(),
                                        t.resultToReleaseMedian(), t.releaseToDeliveryMedian(), t.withinTarget(),
                                        t.targetMinutes())).toList()));
            }
            case "tasks" -> {
                return export(caller, tenantId, environment, kind, range, format(format), TASK_COLUMNS,
                        table -> rows(table, reports.openTasks(tenantId, environment).stream()
                                .map(t -> Arrays.<Object>asList(t.kind(), t.open(), t.overdue(), t.oldestMinutes()))
                                .toList()));
            }
            case "volume" -> {
                return export(caller, tenantId, environment, kind, range, format(format), VOLUME_COLUMNS,
                        table -> rows(table, reports.volume(tenantId, environment, range.start(), range.end())
                                .stream().map(v -> Arrays.<Object>asList(v.source(), v.status(), v.orders())).toList()));
            }
            default -> {
            }
        }
        if (kind.equals("orders")) {
            return export(caller, tenantId, environment, kind, range, format(format), ORDER_COLUMNS,
                    table -> records.orders(tenantId, environment, range.start(), range.end(),
                            row -> table.row(Arrays.asList(row.orderNumber(), row.status(), row.priority(),
                                    row.tests(), row.patientId(), row.orderedAt(), row.receivedAt(), row.updatedAt(),
                                    row.source(), row.rawMessageId()))));
        }
        return export(caller, tenantId, environment, kind, range, format(format), RESULT_COLUMNS,
                table -> records.results(tenantId, environment, range.start(), range.end(),
                        row -> table.row(Arrays.asList(row.orderNumber(), row.resultStatus(), row.issuedAt(),
                                row.testCode(), row.testSystem(), row.testName(), row.value(), row.unit(),
                                row.referenceRange(), row.flags(), row.observationStatus(), row.observedAt(),
                                row.receivedAt(), row.rawMessageId()))));
    }

    private interface Rows {
        void write(ExportFormat.Table table);
    }

    private ResponseEntity<StreamingResponseBody> export(Caller caller, String tenantId, String environment,
                                                         String kind, DayRange range, ExportFormat format,
                                                         List<String> columns, Rows rows) {
        audit.publish(AuditDecision.change("export." + kind, tenantId, environment, caller.subject(),
                kind + " received " + range + " exported as " + format.extension));
        StreamingResponseBody body = out -> {
            try (var table = format.open(out, kind, columns)) {
                readOnly.executeWithoutResult(status -> rows.write(table));
            }
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(format.mediaType))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + tenantId + "-" + environment + "-"
                        + kind + "-" + range.from() + "-" + range.to() + "." + format.extension + "\"")
                .body(body);
    }

    private static void rows(ExportFormat.Table table, List<List<Object>> rows) {
        try {
            for (var row : rows) {
                table.row(row);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ExportFormat format(String name) {
        ExportFormat format = ExportFormat.of(name);
        if (format == null) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "format: '" + name + "' is not csv or xlsx");
        }
        return format;
    }
}
