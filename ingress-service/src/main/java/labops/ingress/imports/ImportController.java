package labops.ingress.imports;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import labops.ingress.IngressProperties;
import labops.ingress.intake.ControlCharacters;
import labops.ingress.intake.RawIntake;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawMessage;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.security.Caller;
import labops.ingress.intake.SignedPushes;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.RawHeaders;
import labops.schemas.SpreadsheetCells;
import labops.schemas.auth.Scopes;
import labops.schemas.rest.RestOrders;
import labops.schemas.topic.Topics;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * CSV and XLSX imports with staff review: a file is read row by row through the tenant's column mapping into the REST order
 * format and checked; nothing is an order until a person approves the batch or chosen rows, which are then published
 * to {@code labops.raw.csv}, one record per row with the batch and row number in headers. Rejected rows can be fixed
 * and checked again; every approval is in the audit trail with who and when.
 */
@RestController
class ImportController {

    static final String CHANNEL = "upload";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WRITE_EVERY = 500;

    /** A row's corrected values. */
    record Fix(Map<String, String> values) {
    }

    /** Which rows to approve; all valid ones when empty. */
    record Approval(List<Long> rows) {
    }

    private final Imports imports;
    private final Validator validator;
    private final RawIntake intake;
    private final PartitionKeys keys;
    private final AuditPublisher audit;
    private final IngressProperties properties;
    private final ImportChecks checks;
    private final SignedPushes signatures;

    ImportController(Imports imports, Validator validator, RawIntake intake, PartitionKeys keys, AuditPublisher audit,
                     IngressProperties properties, ImportChecks checks, SignedPushes signatures) {
        this.checks = checks;
        this.signatures = signatures;
        this.imports = imports;
        this.validator = validator;
        this.intake = intake;
        this.keys = keys;
        this.audit = audit;
        this.properties = properties;
    }

    @GetMapping("/api/imports/{tenantId}/{environment}/mapping")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    ColumnMapping mapping(@PathVariable String tenantId, @PathVariable String environment) {
        return imports.mapping(tenantId, environment).orElse(ColumnMapping.DEFAULT);
    }

    @PutMapping("/api/imports/{tenantId}/{environment}/mapping")
    @RequiresScope(Scopes.TENANT_ADMIN)
    ResponseEntity<?> saveMapping(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                  @RequestBody ColumnMapping mapping) {
        var problems = mapping.problems();
        if (!problems.isEmpty()) {
            var problem = org.springframework.http.ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY,
                    "the column mapping cannot be saved: " + String.join("; ", problems));
            problem.setProperty("problems", problems);
            return ResponseEntity.unprocessableEntity().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        imports.saveMapping(tenantId, environment, mapping, caller.subject());
        audit.publish(AuditDecision.change("import.mapping-saved", tenantId, environment, caller.subject(),
                "column mapping saved"));
        return ResponseEntity.ok(mapping);
    }

    /**
     * Reads and checks a CSV or XLSX file (the first sheet, or {@code sheet}); stores its rows for review. Nothing is
     * published. A caller that names the batch ({@code batchId}, a new UUID) can read how far the check is while it
     * runs: each page of rows is readable at {@code GET .../{batchId}} once written.
     */
    @PostMapping(path = "/api/imports/{tenantId}/{environment}", consumes = {"text/csv", "application/octet-stream",
            XLSX})
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    ResponseEntity<?> upload(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                             @RequestParam(required = false) String fileName,
                             @RequestParam(required = false) String sheet,
                             @RequestParam(required = false) UUID batchId, HttpServletRequest request)
            throws IOException {
        var closed = intake.closed(tenantId, environment);
        if (closed.isPresent()) {
            throw Problems.of(HttpStatus.FORBIDDEN, closed.get());
        }
        ColumnMapping mapping = mapping(tenantId, environment);
        InputStream body = request.getInputStream();
        var signature = SignedPushes.Check.NOT_REQUIRED;
        if (caller.kind() == Caller.Kind.CLIENT) {
            // A hospital's system pushing a file is a push like any other: signed where its connection says so. The
            // signature covers the whole file, so it is read (up to the import limit) before a row is looked at.
            // People uploading in the console are signed in instead, and every row waits for a person's approval.
            long limit = properties.maxImportBytes().toBytes();
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw Problems.of(HttpStatus.CONTENT_TOO_LARGE, "the file is larger than " + properties.maxImportBytes()
                        + ": split it");
            }
            signature = signatures.check(tenantId, environment, bytes, request::getHeader);
            if (signature.unavailable() != null) {
                var later = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, signature.unavailable());
                later.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
                throw later;
            }
            if (signature.refusal() != null) {
                throw Problems.of(HttpStatus.UNAUTHORIZED, signature.refusal());
            }
            body = new ByteArrayInputStream(bytes);
        }
        try (var file = OrderFile.read(body, properties.maxImportBytes().toBytes(), sheet)) {
            var rows = new RowMapping(mapping, file.columns(), validator);
            var missing = rows.missingColumns();
            if (!missing.isEmpty()) {
                throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "the file has no column for "
                        + String.join(", ", missing) + ": its columns are " + file.columns()
                        + "; change the column mapping or the file");
            }
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            UUID batch = batchId != null ? batchId : UUID.randomUUID();
            // A file name is the sender's text too: kept and audited without control characters.
            if (!imports.create(batch, tenantId, environment, fileName == null ? null : ControlCharacters.strip(fileName),
                    caller.subject(), mapping)) {
                throw Problems.of(HttpStatus.CONFLICT, "batch " + batch + " exists: upload under a new id");
            }
            try {
                var seen = new HashMap<String, Long>();
                var pending = new ArrayList<ImportChecks.Checked>(WRITE_EVERY);
                file.forEachRow(row -> {
                    pending.add(check(rows, row.number(), row.values(), seen));
                    if (pending.size() == WRITE_EVERY) {
                        imports.add(batch, checks.check(authorization, tenantId, environment, pending));
                        pending.clear();
                    }
                });
                imports.add(batch, checks.check(authorization, tenantId, environment, pending));
            } catch (RuntimeException | IOException | OrderFile.Unreadable e) {
                // A file is checked whole or not at all: no half batch is left to approve.
                imports.delete(batch);
                throw e;
            }
            signatures.stored(signature);
            return ResponseEntity.status(HttpStatus.CREATED).body(imports.batch(tenantId, environment, batch)
                    .orElseThrow());
        } catch (OrderFile.Unreadable unreadable) {
            throw Problems.of(unreadable.tooLarge() ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.UNPROCESSABLE_ENTITY,
                    unreadable.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "the file cannot be read as CSV: a quoted field is "
                    + "not closed, or a row is broken");
        }
    }

    @GetMapping("/api/imports/{tenantId}/{environment}/{batchId}")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    Map<String, Object> batch(@PathVariable String tenantId, @PathVariable String environment,
                              @PathVariable UUID batchId, @RequestParam(defaultValue = "0") long after,
                              @RequestParam(defaultValue = "200") int limit) {
        var batch = found(tenantId, environment, batchId);
        var rows = imports.rows(batchId, after, Math.min(Math.max(limit, 1), 1000)).stream()
                .map(row -> Map.<String, Object>of("row", row.number(), "status", row.status(), "values", row.values(),
                        "reasons", row.reasons())).toList();
        return Map.of("batch", batch, "rows", rows);
    }

    /** The row-by-row report as CSV: row, status, order number, every reason. Streamed. */
    @GetMapping(path = "/api/imports/{tenantId}/{environment}/{batchId}/report", produces = "text/csv")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    ResponseEntity<StreamingResponseBody> report(@PathVariable String tenantId, @PathVariable String environment,
                                                 @PathVariable UUID batchId) {
        var batch = found(tenantId, environment, batchId);
        var mapping = imports.batchMapping(batchId);
        StreamingResponseBody body = out -> {
            var writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            try (var printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                    .setHeader("row", "status", "order_number", "reasons").get())) {
                long after = 0;
                for (List<Imports.Row> page; !(page = imports.rows(batchId, after, 1000)).isEmpty(); ) {
                    for (var row : page) {
                        String column = mapping.columns().get("orderNumber");
                        printer.printRecord(row.number(), row.status(),
                                column == null ? "" : SpreadsheetCells.text(row.values().get(column)),
                                SpreadsheetCells.text(String.join("; ", row.reasons())));
                        after = row.number();
                    }
                }
            }
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + batch.id() + "-report.csv\"")
                .body(body);
    }

    /**
     * The canonical orders the first valid rows become under the tenant's mapping profile in force: what staff check
     * before they approve (and, after changing the column mapping or the profile, on a new upload).
     */
    @GetMapping("/api/imports/{tenantId}/{environment}/{batchId}/preview")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE, Scopes.ORDERS_WRITE})
    List<Map<String, Object>> preview(@PathVariable String tenantId, @PathVariable String environment,
                                      @PathVariable UUID batchId, @RequestParam(defaultValue = "3") int rows,
                                      HttpServletRequest request) {
        found(tenantId, environment, batchId);
        int wanted = Math.min(Math.max(rows, 1), 20);
        var valid = new ArrayList<Imports.Row>();
        long after = 0;
        for (List<Imports.Row> page; valid.size() < wanted && !(page = imports.rows(batchId, after, 200)).isEmpty(); ) {
            for (var row : page) {
                after = row.number();
                if (row.order() != null && valid.size() < wanted) {
                    valid.add(row);
                }
            }
        }
        var previews = checks.preview(request.getHeader(HttpHeaders.AUTHORIZATION), tenantId, environment,
                valid.stream().map(row -> JSON.readValue(row.order(), RestOrders.Order.class)).toList(), true);
        var answer = new ArrayList<Map<String, Object>>();
        for (var preview : previews) {
            var entry = new java.util.LinkedHashMap<String, Object>();
            entry.put("row", valid.get(preview.index()).number());
            entry.put("order", preview.order());
            entry.put("unmappable", preview.unmappable());
            answer.add(entry);
        }
        return answer;
    }

    /** A row corrected on the page, checked again; a published row can no longer change. */
    @PutMapping("/api/imports/{tenantId}/{environment}/{batchId}/rows/{row}")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE})
    Map<String, Object> fix(@PathVariable String tenantId, @PathVariable String environment, @PathVariable UUID batchId,
                            @PathVariable long row, @RequestBody Fix fix, HttpServletRequest request) {
        found(tenantId, environment, batchId);
        var existing = imports.row(batchId, row)
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no row " + row + " in this import"));
        var values = new java.util.LinkedHashMap<>(existing.values());
        if (fix.values() != null) {
            values.putAll(fix.values());
        }
        var columns = List.copyOf(values.keySet());
        var checked = check(new RowMapping(imports.batchMapping(batchId), columns, validator), row, values, null);
        if (checked.order() != null) {
            String number = checked.order().orderNumber();
            var first = imports.sameOrderNumber(batchId, row, number);
            if (first.isPresent()) {
                checked = duplicate(row, values, first.get(), number);
            }
        }
        var stored = checks.check(request.getHeader(HttpHeaders.AUTHORIZATION), tenantId, environment,
                List.of(checked)).get(0);
        if (!imports.update(batchId, stored)) {
            throw Problems.of(HttpStatus.CONFLICT, "row " + row + " is already published and cannot change");
        }
        return Map.of("row", row, "status", stored.status(), "values", values, "reasons", stored.reasons());
    }

    /**
     * Publishes the chosen valid rows (all valid ones when none are named), each as its own raw message, and records
     * who approved them. An invalid or already published row named is answered, not published.
     */
    @PostMapping("/api/imports/{tenantId}/{environment}/{batchId}/approve")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_WRITE})
    Map<String, Object> approve(Caller caller, @PathVariable String tenantId, @PathVariable String environment,
                                @PathVariable UUID batchId, @RequestBody(required = false) Approval approval,
                                HttpServletRequest request) {
        var batch = found(tenantId, environment, batchId);
        var wanted = approval == null || approval.rows() == null || approval.rows().isEmpty() ? null
                : new java.util.HashSet<>(approval.rows());
        var published = new ArrayList<Map<String, Object>>();
        var skipped = new ArrayList<Map<String, Object>>();
        long after = 0;
        for (List<Imports.Row> page; !(page = imports.rows(batchId, after, 500)).isEmpty(); ) {
            // A page's rows are sent together and awaited after: one Kafka round trip per page, not per row.
            var sent = new java.util.LinkedHashMap<Imports.Row, CompletableFuture<RawIntake.Outcome>>();
            for (var row : page) {
                after = row.number();
                if (wanted != null && !wanted.contains(row.number())) {
                    continue;
                }
                if (!row.status().equals("valid")) {
                    skipped.add(Map.of("row", row.number(), "status", row.status()));
                    continue;
                }
                sent.put(row, publish(caller, request.getRemoteAddr(), batch, row));
            }
            for (var each : sent.entrySet()) {
                var row = each.getKey();
                var id = stored(RawIntake.await(each.getValue()));
                if (id == null) {
                    throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "row " + row.number() + " not stored: Lab Ops "
                            + "cannot write to its message log right now; approve again (published rows stay published)");
                }
                imports.published(batchId, row.number(), id, caller.subject());
                published.add(Map.of("row", row.number(), "id", id,
                        "status", properties.messageStatus(tenantId, environment, id)));
            }
        }
        audit.publish(AuditDecision.change("import.approved", tenantId, environment, caller.subject(),
                published.size() + " row(s) of import " + batchId + (batch.fileName() == null ? ""
                        : " (" + batch.fileName() + ")") + " approved and published: rows "
                        + published.stream().map(p -> p.get("row").toString()).toList()));
        return Map.of("published", published, "skipped", skipped);
    }

    private CompletableFuture<RawIntake.Outcome> publish(Caller caller, String sender, Imports.Batch batch,
                                                         Imports.Row row) {
        var order = JSON.readValue(row.order(), RestOrders.Order.class);
        var message = new RawMessage(UUID.randomUUID(), batch.tenantId(), batch.environment(), CHANNEL,
                "application/json", Instant.now(), "csv|" + batch.id() + "#" + row.number(), sender, caller.subject(),
                row.order().getBytes(StandardCharsets.UTF_8), Map.of(RawHeaders.IMPORT_BATCH, batch.id().toString(),
                RawHeaders.IMPORT_ROW, Long.toString(row.number())));
        return intake.store(message, Topics.RAW_CSV,
                keys.of(batch.tenantId(), order.patient().mrnSystem() + "|" + order.patient().mrn()),
                "import " + batch.id() + " row " + row.number());
    }

    /** The id a row is in Kafka under (its first copy's when approved twice), or null when it is not. */
    private static UUID stored(RawIntake.Outcome outcome) {
        if (outcome instanceof RawIntake.Stored stored) {
            return stored.messageId();
        }
        return outcome instanceof RawIntake.Duplicate duplicate ? duplicate.original() : null;
    }

    /**
     * A row checked on its own values; {@code seen} (order number → first row) finds duplicates within a file as it
     * is read.
     */
    private ImportChecks.Checked check(RowMapping rows, long number, Map<String, String> values,
                                       Map<String, Long> seen) {
        var mapped = rows.map(values);
        if (mapped.order() == null) {
            return new ImportChecks.Checked(Imports.Row.refused(number, values, mapped.reasons()), null);
        }
        Long first = seen == null ? null : seen.putIfAbsent(mapped.order().orderNumber(), number);
        if (first != null) {
            return duplicate(number, values, first, mapped.order().orderNumber());
        }
        return new ImportChecks.Checked(new Imports.Row(number, values, JSON.writeValueAsString(mapped.order()),
                List.of(), null, null, null), mapped.order());
    }

    private static ImportChecks.Checked duplicate(long number, Map<String, String> values, long first,
                                                  String orderNumber) {
        return new ImportChecks.Checked(Imports.Row.refused(number, values, List.of("duplicate of row " + first
                + " (order number " + orderNumber + ")")), null);
    }

    private Imports.Batch found(String tenantId, String environment, UUID batchId) {
        return imports.batch(tenantId, environment, batchId)
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no import " + batchId + " in " + environment));
    }
}
