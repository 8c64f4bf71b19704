package labops.workflow.task;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.Observation;
import org.springframework.stereotype.Component;

/**
 * A result with a critical observation (HH, LL or AA) puts a "critical call-back" task, priority STAT, in its
 * tenant's queue, naming the critical tests: one per result event, whatever is redelivered. The task's handling is the
 * staff queue's; what matters here is that none is missed.
 */
@Component
public class CriticalResults {

    static final Set<Interpretation> CRITICAL = EnumSet.of(Interpretation.CRITICAL_HIGH, Interpretation.CRITICAL_LOW,
            Interpretation.CRITICAL);

    private final TaskRepository tasks;
    private final TaskAudit audit;

    CriticalResults(TaskRepository tasks, TaskAudit audit) {
        this.tasks = tasks;
        this.audit = audit;
    }

    /** Opens the poll's call-back tasks in one insert, inside the caller's transaction. */
    public void apply(List<LabResultEvent> results) {
        List<Task> candidates = results.stream().map(CriticalResults::task).filter(Objects::nonNull).toList();
        audit.record(audit.created(tasks.insertIfAbsent(candidates)));
    }

    private static Task task(LabResultEvent result) {
        String critical = result.getObservations().stream()
                .filter(o -> o.getInterpretation().stream().anyMatch(CRITICAL::contains))
                .map(Observation::getCode).map(c -> c.getCode()).collect(Collectors.joining(", "));
        if (critical.isEmpty()) {
            return null;
        }
        return Task.open(Task.CRITICAL_CALLBACK, result.getTenantId(), Task.environment(result.getEnvironment()),
                result.getEventId(), result.getSource().getRawMessageId(),
                result.getPlacerOrderNumber() == null ? null : result.getPlacerOrderNumber().getValue(), "STAT",
                critical, null);
    }
}
