package labops.workflow.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import labops.events.OrderChangeCause;
import labops.events.OrderStatus;
import labops.workflow.lifecycle.Lifecycle;
import labops.workflow.lifecycle.LifecycleEvents;
import labops.workflow.lifecycle.StatusChange;
import labops.workflow.record.Records;
import labops.workflow.release.ResultRelease;
import org.springframework.stereotype.Component;

/**
 * What finishing a task sets in motion, inside the action's transaction: accepting a new order moves it on and opens
 * its collection (a home visit to schedule, or a specimen to collect in the lab); a scheduled visit opens the
 * collection; a collected specimen moves the order to collected, a rejected one (haemolysed, too little, wrong
 * container) opens its recollection; a result's review releases or retracts the result. Each order change is on the
 * lifecycle topic and each new task in the audit log before the action commits.
 */
@Component
class TaskFollowUps {

    private final TaskRepository tasks;
    private final TaskAudit audit;
    private final Records records;
    private final LifecycleEvents lifecycle;
    private final ResultRelease release;

    TaskFollowUps(TaskRepository tasks, TaskAudit audit, Records records, LifecycleEvents lifecycle,
                  ResultRelease release) {
        this.tasks = tasks;
        this.audit = audit;
        this.records = records;
        this.lifecycle = lifecycle;
        this.release = release;
    }

    void after(Task task, TaskAction action, String actor) {
        boolean completed = action == TaskAction.COMPLETE;
        if (!completed && action != TaskAction.REJECT) {
            return;
        }
        String reason = task.closure().reasonCode();
        switch (task.kind()) {
            case Task.REVIEW_NEW_ORDER -> {
                if (move(task, status -> Lifecycle.onReview(completed, status), actor, reason).isPresent() && completed) {
                    openCollection(task);
                }
            }
            case Task.SCHEDULE_HOME_COLLECTION -> {
                if (completed) {
                    move(task, Lifecycle::onCollectionScheduled, actor, null);
                    open(task, Task.COLLECT_SPECIMEN, "home visit " + task.closure().fields().get("visitWindow"));
                }
            }
            case Task.COLLECT_SPECIMEN -> {
                if (completed) {
                    move(task, Lifecycle::onCollected, actor, null);
                } else {
                    move(task, Lifecycle::onSpecimenRejected, actor, reason);
                    open(task, Task.COLLECT_SPECIMEN, "recollection: the specimen was rejected (" + reason + ")");
                }
            }
            case ResultRelease.REVIEW_RESULTS -> release.decide(task.tenantId(), task.sourceEventId(), completed,
                    actor, reason);
            default -> {
            }
        }
    }

    /** An accepted order's first collection task: the home visit to schedule, or the specimen to collect. */
    private void openCollection(Task review) {
        records.collection(review.tenantId(), review.environment(), review.placerOrderNumber()).ifPresent(c -> {
            if (c.home()) {
                open(review, Task.SCHEDULE_HOME_COLLECTION, "home collection" + (c.windowStart() == null ? ""
                        : ", requested window " + c.windowStart() + (c.windowEnd() == null ? "" : " to " + c.windowEnd())));
            } else {
                open(review, Task.COLLECT_SPECIMEN, "collect in the lab");
            }
        });
    }

    private Optional<StatusChange> move(Task task, Function<OrderStatus, Optional<OrderStatus>> rule, String actor,
                                        String reason) {
        var change = records.move(task.tenantId(), task.environment(), task.placerOrderNumber(), rule,
                OrderChangeCause.STAFF_ACTION, task.id().toString(), actor, reason);
        change.ifPresent(c -> lifecycle.publishAndWait(List.of(c)));
        return change;
    }

    /** Opens the next task of the order, once per task that led to it. */
    private void open(Task from, String kind, String detail) {
        UUID source = UUID.nameUUIDFromBytes((kind + "#" + from.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var next = new ArrayList<Task>();
        next.add(Task.open(kind, from.tenantId(), from.environment(), source, from.createdAt(), from.rawMessageId(),
                from.placerOrderNumber(), from.priority(), from.tests(), detail));
        audit.record(audit.created(tasks.insertIfAbsent(next)));
    }
}
