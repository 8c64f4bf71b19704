package labops.workflow.task;

import java.time.Instant;
import java.util.UUID;

/** A work item in a tenant's staff queue. Holds order references and test codes, no patient details. */
public record Task(UUID id, String tenantId, String environment, String kind, String status, UUID sourceEventId,
                   String rawMessageId, String placerOrderNumber, String priority, String tests, Instant createdAt) {

    public static final String REVIEW_NEW_ORDER = "review-new-order";
    /** A result flagged critical (HH, LL, AA): someone must call the ordering clinician. */
    public static final String CRITICAL_CALLBACK = "critical-callback";

    public static final String OPEN = "open";
    public static final String ON_HOLD = "on-hold";
    public static final String CANCELLED = "cancelled";
}
