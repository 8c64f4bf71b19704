package labops.workflow.report;

import java.time.LocalDate;
import java.util.List;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import labops.workflow.DayRange;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tenant environment's reporting figures for the orders received in a range of days (UTC, both included). */
@RestController
class ReportController {

    /** Everything the reporting page shows. */
    record Report(LocalDate from, LocalDate to, List<Reports.Turnaround> turnaround, List<Reports.OpenTasks> openTasks,
                  Reports.CriticalCalls criticalCalls, List<Reports.Volume> volume) {
    }

    private final Reports reports;

    ReportController(Reports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/reports/{tenantId}/{environment}")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_READ})
    Report report(@PathVariable String tenantId, @PathVariable String environment, @RequestParam String from,
                  @RequestParam(required = false) String to) {
        var range = new DayRange(from, to);
        return new Report(range.from(), range.to(),
                reports.turnaround(tenantId, environment, range.start(), range.end()),
                reports.openTasks(tenantId, environment),
                reports.criticalCalls(tenantId, environment, range.start(), range.end()),
                reports.volume(tenantId, environment, range.start(), range.end()));
    }
}
