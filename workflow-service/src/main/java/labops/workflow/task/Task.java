package labops.workflow.task;

import java.time.Instant;
import java.util.UUID;

/** A work item in a tenant's staff queue. Holds order references and test codes, no patient details. */
public record Task(UUID id, String tenantId, String environment, String kind, String status, UUID sourceEventId,
                   String rawMessageId, String placerOrderNumber, String priority, String tests, Instant createdAt) {

    public static final String REVIEW_NEW_ORDER = "review-new-order";
}
