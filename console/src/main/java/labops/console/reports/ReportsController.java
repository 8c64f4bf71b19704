package labops.console.reports;

import java.time.LocalDate;
import java.time.ZoneOffset;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The reporting page: turnaround by priority and tests (median, 90th percentile, share within target) with a chart,
 * open tasks by kind and age, critical calls, volume by channel and outcome; each table with a CSV and XLSX export.
 * Workflow computes every figure; the last seven days by default.
 */
@Controller
class ReportsController {

    private final LabOpsApis apis;

    ReportsController(LabOpsApis apis) {
        this.apis = apis;
    }

    @GetMapping("/tenants/{tenant}/reports")
    String reports(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                   @RequestParam(defaultValue = "sandbox") String environment,
                   @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                   Model model) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String since = from == null || from.isBlank() ? today.minusDays(6).toString() : from;
        String until = to == null || to.isBlank() ? today.toString() : to;
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("environment", environment);
        model.addAttribute("report", apis.report(tenant, environment, since, until));
        return "reports";
    }
}
