package labops.workflow.task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import labops.platform.web.Problems;
import labops.workflow.release.ResultRelease;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * What staff may do to a task of each kind and what closing it must record. A state that does not allow the action
 * is a conflict (409: someone else moved the task on); a missing or invalid field is 422 naming the field.
 */
final class TaskRules {

    /**
     * One kind's rules.
     *
     * @param rejectReasons   reason codes for {@code reject}; empty when the kind cannot be rejected
     * @param completeReasons reason codes {@code complete} requires; empty when none is asked for
     * @param completeFields  fields {@code complete} requires (all of them); {@code confirmed} ones must be "yes"
     * @param optionalFields  fields {@code complete} may also record
     */
    record Kind(List<String> rejectReasons, List<String> completeReasons, List<String> completeFields,
                List<String> optionalFields, Set<String> confirmed) {
    }

    private static final Kind NONE = new Kind(List.of(), List.of(), List.of(), List.of(), Set.of());

    static final List<String> REOPEN_REASONS = List.of("closed-in-error", "new-information");

    private static final Map<String, Kind> KINDS = Map.of(
            // Accepting a new order is completing its review; rejecting it tells the hospital why.
            Task.REVIEW_NEW_ORDER, new Kind(List.of("missing-data", "duplicate-order", "test-not-offered",
                    "patient-not-identified", "wrong-laboratory", "other"), List.of(), List.of(), List.of(), Set.of()),
            // CAP and the Joint Commission: whom was called (name and role), the value read back and confirmed.
            Task.CRITICAL_CALLBACK, new Kind(List.of(), List.of(),
                    List.of("contactName", "contactRole", "readBack", "readBackConfirmed"),
                    List.of("calledAt", "attempts"), Set.of("readBackConfirmed")),
            // Completing the review releases the result; rejecting it retracts it, never sent, with the reason.
            ResultRelease.REVIEW_RESULTS, new Kind(List.of("analytical-error", "specimen-problem", "wrong-patient",
                    "other"), List.of(), List.of(), List.of(), Set.of()),
            // A home visit agreed with the patient (and who goes); or why it could not be.
            Task.SCHEDULE_HOME_COLLECTION, new Kind(List.of("patient-unreachable", "patient-declined",
                    "address-not-served", "other"), List.of(), List.of("visitWindow"),
                    List.of("collector", "contactAttempts"), Set.of()),
            // Collected; or rejected on receipt, which opens the recollection.
            Task.COLLECT_SPECIMEN, new Kind(List.of("haemolysed", "insufficient-volume", "wrong-container", "clotted",
                    "unlabelled"), List.of(), List.of(), List.of("collectedAt", "specimenId"), Set.of()),
            // Normally closed by the corrected message arriving; by hand only with a reason.
            Task.FIX_ORDER_DATA, new Kind(List.of(), List.of("resent-by-hospital", "fixed-in-mapping", "not-needed"),
                    List.of(), List.of(), Set.of()),
            // Closed with how the hospital got the result in the end (or why it need not).
            Task.DELIVERY_FAILED, new Kind(List.of(), List.of("redelivered", "sent-another-way", "hospital-informed",
                    "not-needed"), List.of(), List.of(), Set.of()),
            // Closed with what the check found.
            Task.PATIENT_IDENTITY, new Kind(List.of(), List.of("same-person", "hospital-corrected",
                    "orders-moved"), List.of(), List.of(), Set.of()));

    /** Every kind's rules and the reasons a closed task is reopened with. */
    record Catalogue(Map<String, Kind> kinds, List<String> reopenReasons) {
    }

    static Catalogue catalogue() {
        return new Catalogue(new java.util.TreeMap<>(KINDS), REOPEN_REASONS);
    }

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MAX_FIELD = 200;
    private static final int MAX_NOTE = 2000;

    private TaskRules() {
    }

    /** The change {@code action} makes to {@code task} for {@code actor}, or why it cannot. */
    static TaskRepository.Update apply(Task task, TaskAction action, TaskActionRequest request, String actor) {
        Kind kind = KINDS.getOrDefault(task.kind(), NONE);
        String note = text("note", request.note(), MAX_NOTE, true);
        Instant now = Instant.now();
        switch (action) {
            case CLAIM -> {
                requireStatus(task, action, Task.OPEN);
                return new TaskRepository.Update(Task.OPEN, actor, task.closure());
            }
            case ASSIGN -> {
                requireStatus(task, action, Task.OPEN);
                if (request.assignee() == null || !USERNAME.matcher(request.assignee()).matches()) {
                    throw invalid("assignee: a username of 1 to 64 letters, digits or . _ @ -");
                }
                return new TaskRepository.Update(Task.OPEN, request.assignee(), task.closure());
            }
            case COMPLETE -> {
                requireStatus(task, action, Task.OPEN);
                String reason = reason(request.reasonCode(), kind.completeReasons(), !kind.completeReasons().isEmpty());
                var fields = fields(request.fields(), kind);
                putNote(fields, note);
                return new TaskRepository.Update(Task.DONE, assigneeOr(task, actor),
                        new Task.Closure(actor, now, reason, fields));
            }
            case REJECT -> {
                if (kind.rejectReasons().isEmpty()) {
                    throw invalid("a " + task.kind() + " task cannot be rejected, only completed");
                }
                requireStatus(task, action, Task.OPEN);
                String reason = reason(request.reasonCode(), kind.rejectReasons(), true);
                if ("other".equals(reason) && note == null) {
                    throw invalid("note: say why when the reason is other");
                }
                var fields = new LinkedHashMap<String, String>();
                putNote(fields, note);
                return new TaskRepository.Update(Task.REJECTED, assigneeOr(task, actor),
                        new Task.Closure(actor, now, reason, fields));
            }
            case REOPEN -> {
                if (ResultRelease.REVIEW_RESULTS.equals(task.kind())) {
                    throw invalid("a released or retracted result stays so: a correction arrives as a new result");
                }
                requireStatus(task, action, Task.DONE, Task.REJECTED);
                String reason = reason(request.reasonCode(), REOPEN_REASONS, true);
                var fields = new LinkedHashMap<String, String>();
                putNote(fields, note);
                return new TaskRepository.Update(Task.OPEN, task.assignee(), new Task.Closure(actor, now, reason, fields));
            }
            default -> throw new IllegalArgumentException(action.name());
        }
    }

    private static String assigneeOr(Task task, String actor) {
        return task.assignee() == null ? actor : task.assignee();
    }

    private static void requireStatus(Task task, TaskAction action, String... allowed) {
        if (!List.of(allowed).contains(task.status())) {
            throw TaskConflict.of(task, "the task is " + task.status() + ": it cannot be " + action.audited
                    .substring("task.".length()) + " now");
        }
    }

    private static String reason(String code, List<String> allowed, boolean required) {
        if (code == null && !required) {
            return null;
        }
        if (code == null || !allowed.contains(code)) {
            throw invalid("reasonCode: one of " + String.join(", ", allowed));
        }
        return code;
    }

    private static LinkedHashMap<String, String> fields(Map<String, String> given, Kind kind) {
        var fields = new LinkedHashMap<String, String>();
        Map<String, String> values = given == null ? Map.of() : given;
        for (String name : values.keySet()) {
            if (!kind.completeFields().contains(name) && !kind.optionalFields().contains(name)) {
                throw invalid("fields/" + name + ": not a field this kind of task records");
            }
        }
        for (String name : kind.completeFields()) {
            String value = text("fields/" + name, values.get(name), MAX_FIELD, false);
            if (value == null) {
                throw invalid("fields/" + name + ": required to complete a task of this kind");
            }
            if (kind.confirmed().contains(name) && !value.equals("yes")) {
                throw invalid("fields/" + name + ": must be yes: the value was read back and confirmed");
            }
            fields.put(name, value);
        }
        for (String name : kind.optionalFields()) {
            String value = text("fields/" + name, values.get(name), MAX_FIELD, false);
            if (value != null) {
                fields.put(name, value);
            }
        }
        return fields;
    }

    private static void putNote(Map<String, String> fields, String note) {
        if (note != null) {
            fields.put("note", note);
        }
    }

    /** Trimmed text, null when blank; refused when too long or holding control characters. */
    private static String text(String name, String value, int max, boolean lines) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw invalid(name + ": at most " + max + " characters");
        }
        boolean control = trimmed.chars().anyMatch(c -> Character.isISOControl(c) && !(lines && (c == '\n' || c == '\t')));
        if (control) {
            throw invalid(name + ": control characters are not allowed");
        }
        return trimmed;
    }

    private static ErrorResponseException invalid(String detail) {
        return Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, detail);
    }
}
