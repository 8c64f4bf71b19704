package labops.workflow.task;

import java.util.Map;

/**
 * A person's action on a task, as decided on the page they saw.
 *
 * @param version    the task's version on that page; the action is refused (409) if the task has changed since
 * @param assignee   {@code assign}: the username who will work it
 * @param reasonCode why it is closed or reopened, from its kind's list ({@link TaskRules})
 * @param note       free text for the next person (kept with the task, never in the audit log)
 * @param fields     what completing its kind records, e.g. a critical call's {@code contactName}
 */
public record TaskActionRequest(Integer version, String assignee, String reasonCode, String note,
                                Map<String, String> fields) {
}
