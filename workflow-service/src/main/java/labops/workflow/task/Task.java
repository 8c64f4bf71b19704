package labops.workflow.task;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import labops.events.Environment;
import labops.platform.tenant.EnvironmentNames;

/**
 * A work item in a tenant's staff queue. Holds order references, test codes and what went wrong, no patient details.
 *
 * @param detail   why the task exists where its kind does not say it all (the mapping failure, by segment and field)
 * @param dueAt    when it becomes overdue ({@link TaskSla})
 * @param assignee the username working it, once claimed or assigned
 * @param version  raised by every change; an action names the version it was decided on
 * @param closure  who closed it, when, why and what closing its kind records; null while it is open
 */
public record Task(UUID id, String tenantId, String environment, String kind, String status, UUID sourceEventId,
                   String rawMessageId, String placerOrderNumber, String priority, String tests, String detail,
                   Instant createdAt, Instant dueAt, String assignee, int version, Closure closure) {

    public static final String REVIEW_NEW_ORDER = "review-new-order";
    /** A result flagged critical (HH, LL, AA): someone must call the ordering clinician. */
    public static final String CRITICAL_CALLBACK = "critical-callback";
    /** A message acknowledged to the hospital that could not be mapped: fix the data at the source and resend. */
    public static final String FIX_ORDER_DATA = "fix-order-data";

    /** An accepted order to be collected at the patient's home: agree a visit with the patient. */
    public static final String SCHEDULE_HOME_COLLECTION = "schedule-home-collection";
    /** A specimen to collect (in the lab, at a scheduled home visit, or again after a rejected one). */
    public static final String COLLECT_SPECIMEN = "collect-specimen";
    /** A released result the hospital's endpoint did not take after the last attempt: resend it or tell them. */
    public static final String DELIVERY_FAILED = "delivery-failed";
    /** Another name or birth date for a known patient, or a merge: a person checks the patient's orders are theirs. */
    public static final String PATIENT_IDENTITY = "patient-identity";

    public static final String OPEN = "open";
    public static final String ON_HOLD = "on-hold";
    public static final String CANCELLED = "cancelled";
    public static final String DONE = "done";
    public static final String REJECTED = "rejected";

    /**
     * How a task was closed (or last reopened).
     *
     * @param fields what its kind asks for when it is closed (a critical call's contact and read-back), free text
     *               staff typed: kept with the task, never copied into the audit log
     */
    public record Closure(String by, Instant at, String reasonCode, Map<String, String> fields) {
    }

    /**
     * A new open task; its due time is set from its priority when it is stored. {@code sourceAt} is when its source
     * (the event, dead letter or task it comes from) happened: with the source it makes the task's id.
     */
    static Task open(String kind, String tenantId, String environment, UUID sourceEventId, Instant sourceAt,
                     String rawMessageId, String placerOrderNumber, String priority, String tests, String detail) {
        return new Task(id(sourceEventId, sourceAt), tenantId, environment, kind, OPEN, sourceEventId, rawMessageId,
                placerOrderNumber, priority, tests, detail, Instant.now(), null, null, 0, null);
    }

    /**
     * A task's id: one per source, so a redelivered source finds its task already there; time-ordered like a UUIDv7
     * (the source's millisecond first, then 74 bits of the source's id), so new tasks append to the primary key's
     * index instead of landing on a random page of it, as random ids did under load.
     */
    static UUID id(UUID source, Instant sourceAt) {
        long msb = (sourceAt.toEpochMilli() << 16) | 0x7000L | (source.getMostSignificantBits() & 0x0FFFL);
        long lsb = (source.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** A canonical event's environment as tasks name it (the path's {@code sandbox} or {@code production}). */
    static String environment(Environment environment) {
        return EnvironmentNames.of(environment);
    }
}
