package labops.workflow.task;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.platform.kafka.OrderKeys;
import labops.workflow.release.ResultRelease;
import org.springframework.stereotype.Component;

/**
 * The tasks results put in their tenant's queue, one of each kind per result event whatever is redelivered: a result
 * with a critical observation (HH, LL or AA) a STAT "critical call-back" naming the critical tests; a result the
 * tenant's release policy holds for review a "review results" (STAT when it is critical too).
 */
@Component
public class ResultTasks {

    static final Set<Interpretation> CRITICAL = EnumSet.of(Interpretation.CRITICAL_HIGH, Interpretation.CRITICAL_LOW,
            Interpretation.CRITICAL);

    private final TaskRepository tasks;
    private final TaskAudit audit;

    ResultTasks(TaskRepository tasks, TaskAudit audit) {
        this.tasks = tasks;
        this.audit = audit;
    }

    /** Opens the poll's call-back and review tasks in one insert, inside the caller's transaction. */
    public void apply(List<LabResultEvent> results, List<ResultRelease.Review> reviews) {
        var candidates = new java.util.ArrayList<Task>();
        results.stream().map(ResultTasks::callBack).filter(Objects::nonNull).forEach(candidates::add);
        reviews.stream().map(ResultTasks::review).forEach(candidates::add);
        audit.record(audit.created(tasks.insertIfAbsent(candidates)));
    }

    private static Task review(ResultRelease.Review review) {
        LabResultEvent result = review.result();
        return Task.open(ResultRelease.REVIEW_RESULTS, result.getTenantId(), Task.environment(result.getEnvironment()),
                review.reviewId(), result.getSource().getReceivedAt(), result.getSource().getRawMessageId(), OrderKeys.orderNumber(result),
                critical(result).isEmpty() ? "ROUTINE" : "STAT", ResultRelease.tests(result),
                result.getStatus().name().toLowerCase(java.util.Locale.ROOT) + " result: review before release");
    }

    private static String critical(LabResultEvent result) {
        return result.getObservations().stream()
                .filter(o -> o.getInterpretation().stream().anyMatch(CRITICAL::contains))
                .map(Observation::getCode).map(c -> c.getCode()).collect(Collectors.joining(", "));
    }

    private static Task callBack(LabResultEvent result) {
        String critical = critical(result);
        if (critical.isEmpty()) {
            return null;
        }
        return Task.open(Task.CRITICAL_CALLBACK, result.getTenantId(), Task.environment(result.getEnvironment()),
                result.getEventId(), result.getSource().getReceivedAt(), result.getSource().getRawMessageId(),
                result.getPlacerOrderNumber() == null ? null : result.getPlacerOrderNumber().getValue(), "STAT",
                critical, null);
    }
}
