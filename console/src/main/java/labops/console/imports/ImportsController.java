package labops.console.imports;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.console.api.ApiProblem;
import labops.console.api.EventJson;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import labops.schemas.SpreadsheetCells;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;

/**
 * The imports and exports page: staff upload a CSV or XLSX file, read the row-by-row report and the canonical orders
 * the first rows make, fix rejected rows, and approve the rows that should become orders; a tenant admin maps the
 * file's columns; anyone here downloads the tenant's orders and results. Ingress's import API and workflow's export
 * API decide everything.
 */
@Controller
class ImportsController {

    private static final List<String> FIELDS = List.of("orderNumber", "mrn", "family", "given", "birthDate", "sex",
            "tests", "priority", "orderedAt", "notes", "homeCollection", "collectionAddress");

    private final LabOpsApis apis;

    ImportsController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}/imports")
    String page(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                @RequestParam(defaultValue = "sandbox") String environment,
                @RequestParam(required = false) String batch, @RequestParam(required = false) String notice,
                Model model) {
        return render(principal, tenant, environment, batch, notice, null, model);
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/imports/mapping")
    String saveMapping(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                       @PathVariable String environment, @RequestParam Map<String, String> form, Model model) {
        var columns = new LinkedHashMap<String, String>();
        for (String field : FIELDS) {
            String column = form.get("column." + field);
            if (column != null && !column.isBlank()) {
                columns.put(field, column.trim());
            }
        }
        var current = apis.imports(HttpMethod.GET, null, null, tenant, environment, "/mapping");
        var mapping = new LinkedHashMap<>(current);
        mapping.put("columns", columns);
        mapping.put("dateFormat", form.getOrDefault("dateFormat", "yyyy-MM-dd"));
        try {
            apis.imports(HttpMethod.PUT, mapping, MediaType.APPLICATION_JSON, tenant, environment, "/mapping");
            return render(principal, tenant, environment, null, "Column mapping saved.", null, model);
        } catch (ApiProblem problem) {
            return render(principal, tenant, environment, null, null, problem.getMessage(), model);
        }
    }

    /** Ingress tells CSV from XLSX by the content; {@code sheet} picks a workbook's sheet (else its first). */
    @PostMapping("/tenants/{tenant}/environments/{environment}/imports")
    String upload(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                  @PathVariable String environment, @RequestParam("file") MultipartFile file,
                  @RequestParam(required = false) String sheet, @RequestParam UUID batchId, Model model)
            throws IOException {
        try {
            var batch = apis.imports(HttpMethod.POST, file.getBytes(), MediaType.APPLICATION_OCTET_STREAM, tenant,
                    environment, "?fileName={f}&sheet={s}&batchId={b}", file.getOriginalFilename(),
                    sheet == null ? "" : sheet, batchId);
            return "redirect:/tenants/" + tenant + "/imports?environment=" + environment + "&batch=" + batch.get("id");
        } catch (ApiProblem problem) {
            return render(principal, tenant, environment, null, null, problem.getMessage(), model);
        }
    }

    /** How many rows of an upload still being checked are checked: the page polls it (0 before the first page). */
    @GetMapping("/tenants/{tenant}/environments/{environment}/imports/{batch}/progress")
    @ResponseBody
    Map<String, Object> progress(@PathVariable String tenant, @PathVariable String environment,
                                 @PathVariable UUID batch) {
        try {
            var found = apis.imports(HttpMethod.GET, null, null, tenant, environment, "/{b}?limit=1", batch);
            return Map.of("rows", ((Map<?, ?>) found.get("batch")).get("rows"));
        } catch (ApiProblem notYet) {
            return Map.of("rows", 0);
        }
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/imports/{batch}/rows/{row}")
    String fix(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, @PathVariable String environment,
               @PathVariable String batch, @PathVariable long row, @RequestParam Map<String, String> form,
               Model model) {
        var values = new LinkedHashMap<String, String>();
        form.forEach((name, value) -> {
            if (name.startsWith("value.")) {
                values.put(name.substring("value.".length()), value);
            }
        });
        var fixed = apis.imports(HttpMethod.PUT, Map.of("values", values), MediaType.APPLICATION_JSON, tenant,
                environment, "/{b}/rows/{r}", batch, row);
        String notice = "valid".equals(fixed.get("status")) ? "Row " + row + " is valid now."
                : "Row " + row + " is still invalid.";
        return render(principal, tenant, environment, batch, notice, null, model);
    }

    @PostMapping("/tenants/{tenant}/environments/{environment}/imports/{batch}/approve")
    String approve(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                   @PathVariable String environment, @PathVariable String batch,
                   @RequestParam(name = "row", required = false) List<Long> rows, Model model) {
        var answer = apis.imports(HttpMethod.POST, Map.of("rows", rows == null ? List.of() : rows),
                MediaType.APPLICATION_JSON, tenant, environment, "/{b}/approve", batch);
        int published = ((List<?>) answer.getOrDefault("published", List.of())).size();
        return render(principal, tenant, environment, batch, published + " order(s) approved and sent on: they "
                + "appear in the staff queue within seconds.", null, model);
    }

    @GetMapping("/tenants/{tenant}/environments/{environment}/imports/{batch}/report")
    ResponseEntity<byte[]> report(@PathVariable String tenant, @PathVariable String environment,
                                  @PathVariable String batch) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + batch + "-report.csv\"")
                .body(apis.importReport(tenant, environment, batch));
    }

    /**
     * Orders or results received in a range of days, or a reporting table of them, as CSV or XLSX, streamed from
     * workflow as it writes them.
     */
    @GetMapping("/tenants/{tenant}/environments/{environment}/exports/{kind:orders|results|turnaround|tasks|volume}")
    String export(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                  @PathVariable String environment, @PathVariable String kind, @RequestParam String from,
                  @RequestParam(required = false) String to, @RequestParam(defaultValue = "csv") String format,
                  HttpServletResponse response, Model model) {
        try {
            apis.export(tenant, environment, kind, from, to == null ? "" : to, format, (headers, body) -> {
                response.setContentType(String.valueOf(headers.getContentType()));
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, headers.getFirst(HttpHeaders.CONTENT_DISPOSITION));
                body.transferTo(response.getOutputStream());
            });
            return null;
        } catch (ApiProblem problem) {
            return render(principal, tenant, environment, null, null, problem.getMessage(), model);
        }
    }

    /** A CSV file with this environment's mapped columns as its header: what to fill in, ready to upload. */
    @GetMapping("/tenants/{tenant}/environments/{environment}/imports/template")
    ResponseEntity<String> template(@PathVariable String tenant, @PathVariable String environment) {
        @SuppressWarnings("unchecked")
        var columns = (Map<String, Object>) apis.imports(HttpMethod.GET, null, null, tenant, environment, "/mapping")
                .getOrDefault("columns", Map.of());
        var header = FIELDS.stream().map(columns::get).filter(java.util.Objects::nonNull).map(String::valueOf)
                .map(ImportsController::csvField).toList();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"orders-template.csv\"")
                .body(String.join(",", header) + "\r\n");
    }

    /** A header cell: quoted as CSV needs, and never a formula (a column name is the tenant's text). */
    static String csvField(String text) {
        String value = SpreadsheetCells.text(text);
        return value.matches("(?s).*[,\"\r\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** The first valid rows as canonical orders; null when the normalizer cannot be reached (the page says so). */
    private List<Map<String, Object>> preview(String tenant, String environment, String batch) {
        try {
            var previews = apis.importPreview(tenant, environment, batch);
            previews.forEach(p -> p.computeIfPresent("order", (key, order) -> EventJson.indented(order)));
            return previews;
        } catch (RuntimeException unavailable) {
            return null;
        }
    }

    private String render(OidcUser principal, String tenant, String environment, String batch, String notice,
                          String error, Model model) {
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("environment", environment);
        model.addAttribute("fields", FIELDS);
        model.addAttribute("mapping", apis.imports(HttpMethod.GET, null, null, tenant, environment, "/mapping"));
        model.addAttribute("notice", notice);
        model.addAttribute("error", error);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        model.addAttribute("exportFrom", today.withDayOfMonth(1));
        // The next upload's batch id: the page reads its progress under it while ingress checks the rows.
        model.addAttribute("uploadId", UUID.randomUUID());
        model.addAttribute("exportTo", today);
        if (batch != null) {
            var found = apis.imports(HttpMethod.GET, null, null, tenant, environment, "/{b}?limit=1000", batch);
            model.addAttribute("batch", found.get("batch"));
            model.addAttribute("rows", found.get("rows"));
            model.addAttribute("preview", preview(tenant, environment, batch));
        }
        return "imports";
    }
}
