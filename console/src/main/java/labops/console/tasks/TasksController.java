package labops.console.tasks;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import labops.console.api.ApiProblem;
import labops.console.api.LabOpsApis;
import labops.console.security.ConsoleUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A tenant's staff queue, from workflow-service's JSON API: filtered by environment, status and order number, STAT
 * first then by due time with SLA colours, refreshed every few seconds while nobody is filling in a form, and the
 * actions that finish tasks. workflow-service decides every action; a page that was stale gets its 409 as a message
 * and the queue as it now is.
 */
@Controller
class TasksController {

    private static final Map<String, String> KINDS = Map.of(
            "review-new-order", "Review new order",
            "critical-callback", "Critical call",
            "fix-order-data", "Fix order data",
            "review-results", "Review results",
            "schedule-home-collection", "Schedule home collection",
            "collect-specimen", "Collect specimen",
            "delivery-failed", "Delivery failed",
            "patient-identity", "Patient identity");
    /** Kinds completed with one click, and what completing means for each. */
    private static final Map<String, String> COMPLETE_LABELS = Map.of(
            "review-new-order", "Accept",
            "review-results", "Release",
            "collect-specimen", "Collected");
    /** What rejecting means for each kind that can be rejected. */
    private static final Map<String, String> REJECT_LABELS = Map.of(
            "review-new-order", "Reject order",
            "review-results", "Retract result",
            "schedule-home-collection", "Cannot schedule",
            "collect-specimen", "Specimen rejected");
    /** Fields of a task's forms that are sent to the service as the kind's {@code fields}. */
    private static final List<String> FIELDS = List.of("contactName", "contactRole", "readBack", "readBackConfirmed",
            "calledAt", "attempts", "visitWindow", "collector", "contactAttempts", "collectedAt", "specimenId");

    private final LabOpsApis apis;

    TasksController(LabOpsApis apis) {
        this.apis = apis;
    }

    /** The filters a queue is shown with; empty ones are not applied. */
    record Filters(String status, String environment, String q, String kind) {

        static Filters of(String status, String environment, String q, String kind) {
            return new Filters(status == null || status.isBlank() ? "open" : status, blank(environment), blank(q),
                    blank(kind));
        }

        private static String blank(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    @GetMapping("/tenants/{tenant}/tasks")
    String tasks(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                 @RequestParam(required = false) String status, @RequestParam(required = false) String environment,
                 @RequestParam(required = false) String q, @RequestParam(required = false) String kind,
                 Model model) {
        queue(principal, tenant, Filters.of(status, environment, q, kind), model);
        return "tasks";
    }

    /** The queue alone, for the page's refresh. */
    @GetMapping("/tenants/{tenant}/tasks/queue")
    String queue(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                 @RequestParam(required = false) String status, @RequestParam(required = false) String environment,
                 @RequestParam(required = false) String q, @RequestParam(required = false) String kind,
                 Model model) {
        queue(principal, tenant, Filters.of(status, environment, q, kind), model);
        return "tasks :: queue";
    }

    /** The patient behind a task, asked for by opening its details on the queue (each view audited by workflow). */
    @GetMapping("/tenants/{tenant}/tasks/{taskId}/patient")
    String patient(@PathVariable String tenant, @PathVariable String taskId, Model model) {
        try {
            model.addAttribute("patient", apis.taskPatient(tenant, taskId));
        } catch (ApiProblem problem) {
            if (problem.status() != 404 && problem.status() != 403) {
                throw problem;
            }
            model.addAttribute("patient", null);
            model.addAttribute("patientProblem", problem.status() == 403 ? "Your role does not show patient details."
                    : "Lab Ops has no details of this patient.");
        }
        return "tasks :: patient";
    }

    @PostMapping("/tenants/{tenant}/tasks/{taskId}/{action:claim|assign|complete|reject|reopen}")
    String act(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant, @PathVariable String taskId,
               @PathVariable String action, @RequestParam MultiValueMap<String, String> form, Model model,
               HttpServletRequest request) {
        var body = new LinkedHashMap<String, Object>();
        body.put("version", parse(form.getFirst("version")));
        for (String name : List.of("assignee", "reasonCode", "note")) {
            body.put(name, form.getFirst(name));
        }
        var fields = new LinkedHashMap<String, String>();
        for (String name : FIELDS) {
            String value = form.getFirst(name);
            if (value != null && !value.isBlank()) {
                fields.put(name, value);
            }
        }
        body.put("fields", fields);
        try {
            var task = apis.taskAction(tenant, taskId, action, body);
            model.addAttribute("notice", KINDS.getOrDefault(String.valueOf(task.get("kind")), "Task") + " "
                    + task.get("placerOrderNumber") + ": " + done(action) + ".");
        } catch (ApiProblem problem) {
            model.addAttribute("problem", "Not saved: " + refused(problem));
        }
        return answer(principal, tenant, form, model, request);
    }

    /**
     * Claims every task ticked on the page ({@code selected}: id and the version the page showed), each on its own:
     * those someone else changed since are counted, not claimed.
     */
    @PostMapping("/tenants/{tenant}/tasks/claim-selected")
    String claimSelected(@AuthenticationPrincipal OidcUser principal, @PathVariable String tenant,
                         @RequestParam MultiValueMap<String, String> form, Model model, HttpServletRequest request) {
        int claimed = 0;
        var refusals = new java.util.ArrayList<String>();
        for (String selected : form.getOrDefault("selected", List.of())) {
            int colon = selected.indexOf(':');
            if (colon < 1) {
                continue;
            }
            try {
                apis.taskAction(tenant, selected.substring(0, colon), "claim",
                        Map.of("version", parse(selected.substring(colon + 1))));
                claimed++;
            } catch (ApiProblem problem) {
                refusals.add(refused(problem));
            }
        }
        model.addAttribute("notice", "Claimed " + claimed + ".");
        if (!refusals.isEmpty()) {
            model.addAttribute("problem", refusals.size() + " not claimed: " + refusals.get(0));
        }
        return answer(principal, tenant, form, model, request);
    }

    /**
     * A refusal of an action (someone acted first, a field missing, a result this person entered), said on the
     * queue; anything else is the error page's.
     */
    private static String refused(ApiProblem problem) {
        if (problem.status() != 409 && problem.status() != 422 && problem.status() != 403) {
            throw problem;
        }
        return problem.getMessage();
    }

    /** The queue as it now is with the action's message: the whole page, or to htmx its part and the message. */
    private String answer(OidcUser principal, String tenant, MultiValueMap<String, String> form, Model model,
                          HttpServletRequest request) {
        queue(principal, tenant, Filters.of(form.getFirst("filterStatus"), form.getFirst("filterEnvironment"),
                form.getFirst("filterQ"), form.getFirst("filterKind")), model);
        boolean htmx = request.getHeader("HX-Request") != null;
        model.addAttribute("answer", htmx);
        return htmx ? "tasks :: answer" : "tasks";
    }

    private void queue(OidcUser principal, String tenant, Filters filters, Model model) {
        Instant now = Instant.now();
        model.addAttribute("user", ConsoleUser.of(principal));
        model.addAttribute("tenantId", tenant);
        model.addAttribute("filters", filters);
        model.addAttribute("kinds", new java.util.TreeMap<>(KINDS));
        model.addAttribute("rejectLabels", REJECT_LABELS);
        model.addAttribute("completeLabels", COMPLETE_LABELS);
        model.addAttribute("rules", apis.taskKinds());
        model.addAttribute("tasks", apis.tasks(tenant, filters.status(), filters.environment(), filters.q(), filters.kind()).stream()
                .map(task -> withSla(task, now)).toList());
    }

    /**
     * The task with its SLA: {@code late} once due, {@code soon} in the last quarter of its time, else {@code ok};
     * and how long until (or since) it is due, in words.
     */
    static Map<String, Object> withSla(Map<String, Object> task, Instant now) {
        var shown = new LinkedHashMap<>(task);
        Instant created = Instant.parse(String.valueOf(task.get("createdAt")));
        Instant due = Instant.parse(String.valueOf(task.get("dueAt")));
        Duration left = Duration.between(now, due);
        Duration allowed = Duration.between(created, due);
        boolean open = "open".equals(task.get("status")) || "on-hold".equals(task.get("status"));
        shown.put("sla", !open ? "closed" : left.isNegative() ? "late"
                : left.compareTo(allowed.dividedBy(4)) <= 0 ? "soon" : "ok");
        shown.put("dueIn", left.isNegative() ? "overdue by " + words(left.negated()) : "due in " + words(left));
        return shown;
    }

    private static String words(Duration duration) {
        long minutes = Math.max(duration.toMinutes(), 0);
        return minutes < 60 ? minutes + " min" : minutes < 48 * 60 ? (minutes / 60) + " h " + (minutes % 60) + " min"
                : (minutes / (24 * 60)) + " days";
    }

    private static String done(String action) {
        return switch (action) {
            case "claim" -> "claimed";
            case "assign" -> "assigned";
            case "complete" -> "done";
            case "reject" -> "rejected";
            default -> "reopened";
        };
    }

    private static Integer parse(String version) {
        try {
            return version == null ? null : Integer.valueOf(version);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
