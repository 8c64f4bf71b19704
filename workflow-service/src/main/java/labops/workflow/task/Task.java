package labops.workflow.task;

import java.time.Instant;
import java.util.UUID;
import labops.events.Environment;

/**
 * A work item in a tenant's staff queue. Holds order references, test codes and what went wrong, no patient details.
 *
 * @param detail why the task exists where its kind does not say it all (the mapping failure, by segment and field)
 */
public record Task(UUID id, String tenantId, String environment, String kind, String status, UUID sourceEventId,
                   String rawMessageId, String placerOrderNumber, String priority, String tests, String detail,
                   Instant createdAt) {

    public static final String REVIEW_NEW_ORDER = "review-new-order";
    /** A result flagged critical (HH, LL, AA): someone must call the ordering clinician. */
    public static final String CRITICAL_CALLBACK = "critical-callback";
    /** A message acknowledged to the hospital that could not be mapped: fix the data at the source and resend. */
    public static final String FIX_ORDER_DATA = "fix-order-data";

    public static final String OPEN = "open";
    public static final String ON_HOLD = "on-hold";
    public static final String CANCELLED = "cancelled";

    /** A canonical event's environment as tasks name it (the path's {@code sandbox} or {@code production}). */
    static String environment(Environment environment) {
        return environment.name().toLowerCase();
    }
}
