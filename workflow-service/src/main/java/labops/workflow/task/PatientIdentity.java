package labops.workflow.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import labops.events.PatientAction;
import labops.events.PatientEvent;
import labops.platform.tenant.EnvironmentNames;
import labops.workflow.patient.PatientRecords;
import org.springframework.stereotype.Component;

/**
 * A patient whose identity needs a person: the hospital sent another name or birth date for a medical record number
 * Lab Ops knew, or merged two records (ADT A40). One "patient identity" task per such event, naming what happened and
 * never the patient (who is behind the task's patient view); audited before the caller's transaction commits.
 */
@Component
public class PatientIdentity {

    private final TaskRepository tasks;
    private final TaskAudit audit;
    private final PatientRecords patients;

    PatientIdentity(TaskRepository tasks, TaskAudit audit, PatientRecords patients) {
        this.tasks = tasks;
        this.audit = audit;
        this.patients = patients;
    }

    /** Opens the tasks of a poll: {@code changed} as {@link PatientRecords#apply} found them, and every merge. */
    public void apply(List<PatientEvent> changed, List<PatientEvent> events) {
        var candidates = new ArrayList<Task>();
        var patientOf = new LinkedHashMap<UUID, String>();
        // A merge says more than the changed name or birth date it may also bring: its own words win.
        for (PatientEvent event : events) {
            if (event.getAction() == PatientAction.MERGE) {
                add(candidates, patientOf, event, "the hospital merged " + event.getMergedIdentifiers().size()
                        + " record(s) into this patient's: check their orders and results");
            }
        }
        for (PatientEvent event : changed) {
            add(candidates, patientOf, event, "the hospital sent another name or birth date for a patient Lab Ops "
                    + "knew: check that the patient's orders are theirs");
        }
        var inserted = tasks.insertIfAbsent(candidates);
        var linked = new LinkedHashMap<UUID, String>();
        inserted.forEach(task -> linked.put(task.id(), patientOf.get(task.id())));
        patients.link(linked);
        audit.record(audit.created(inserted));
    }

    private static void add(List<Task> candidates, java.util.Map<UUID, String> patientOf, PatientEvent event,
                            String detail) {
        Task task = Task.open(Task.PATIENT_IDENTITY, event.getTenantId(),
                EnvironmentNames.of(event.getEnvironment()), event.getEventId(),
                event.getSource().getReceivedAt(), event.getSource().getRawMessageId(), null, "URGENT", "", detail);
        if (patientOf.putIfAbsent(task.id(), PatientRecords.patientId(event)) == null) {
            candidates.add(task);
        }
    }
}
