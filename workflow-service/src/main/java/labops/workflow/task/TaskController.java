package labops.workflow.task;

import java.util.List;
import java.util.UUID;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.platform.web.Problems;
import labops.schemas.auth.Scopes;
import labops.workflow.patient.PatientRecords;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's staff queue as JSON, and the actions people take on it; the console shows it to people. */
@RestController
class TaskController {

    private final TaskRepository tasks;
    private final TaskActions actions;
    private final PatientRecords patients;
    private final TaskAudit audit;

    TaskController(TaskRepository tasks, TaskActions actions, PatientRecords patients, TaskAudit audit) {
        this.tasks = tasks;
        this.actions = actions;
        this.patients = patients;
        this.audit = audit;
    }

    /**
     * Tasks in one status (default open), STAT first then by due time, at most 500; in one environment, of one kind
     * and matching {@code q} (part of an order number or test code) when they are given.
     */
    @GetMapping("/api/tenants/{tenantId}/tasks")
    @RequiresScope(Scopes.TASKS_READ)
    List<Task> tasks(@PathVariable String tenantId, @RequestParam(defaultValue = "open") String status,
                     @RequestParam(required = false) String environment, @RequestParam(required = false) String q,
                     @RequestParam(required = false) String kind) {
        if (q != null && q.length() > 64) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "q: at most 64 characters");
        }
        return tasks.findByTenant(tenantId, status, environment, q == null || q.isBlank() ? null : q.strip(),
                kind == null || kind.isBlank() ? null : kind);
    }

    /**
     * The patient behind a task (its order's, or the one a patient-identity task is about), for a person whose role
     * allows patient data; each view is in the audit log with who looked (never what they saw). 404 when Lab Ops has
     * no details of the patient.
     */
    @GetMapping("/api/tenants/{tenantId}/tasks/{taskId}/patient")
    @RequiresScope(Scopes.PATIENTS_READ)
    PatientRecords.Patient patient(Authentication authentication, @PathVariable String tenantId,
                                   @PathVariable UUID taskId) {
        Caller caller = Caller.of(authentication);
        if (caller.kind() != Caller.Kind.PERSON) {
            throw Problems.of(HttpStatus.FORBIDDEN, "patient details are for people, not API clients or services");
        }
        Task task = tasks.find(tenantId, taskId).orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no such task"));
        var patient = patients.forTask(tenantId, task.environment(), task.id(), task.placerOrderNumber())
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "Lab Ops has no details of this task's patient"));
        audit.record(List.of(audit.viewed(task, caller.subject())));
        return patient;
    }

    /** What each kind of task asks for when it is closed or reopened: reason codes and fields, for forms. */
    @GetMapping("/api/task-kinds")
    @RequiresScope(Scopes.TASKS_READ)
    TaskRules.Catalogue kinds() {
        return TaskRules.catalogue();
    }

    /**
     * Claims, assigns, completes, rejects or reopens a task. The body names the version the person saw: 409 with the
     * current task when it has changed since, 422 naming the field a kind needs and did not get.
     */
    @PostMapping("/api/tenants/{tenantId}/tasks/{taskId}/{action:claim|assign|complete|reject|reopen}")
    @RequiresScope(Scopes.TASKS_WRITE)
    Task act(Authentication authentication, @PathVariable String tenantId, @PathVariable UUID taskId,
             @PathVariable String action, @RequestBody TaskActionRequest request) {
        Caller caller = Caller.of(authentication);
        if (caller.kind() != Caller.Kind.PERSON) {
            throw Problems.of(HttpStatus.FORBIDDEN, "tasks are worked by people, not by API clients or services");
        }
        TaskAction taskAction = TaskAction.ofPath(action).orElseThrow();
        return actions.act(caller, tenantId, taskId, taskAction, request);
    }
}
