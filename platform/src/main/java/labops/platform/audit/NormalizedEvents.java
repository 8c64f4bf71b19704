package labops.platform.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The normalizer's one decision per raw message, {@code raw.normalized}: which canonical events it became, in one
 * audit entry (its detail {@code "LabOrderEvent 3f…, PatientEvent 9a…"}, its event id the first event's), where one
 * entry per event said the same decision several times.
 */
public final class NormalizedEvents {

    public static final String ACTION = "raw.normalized";

    /** A canonical event made from the message: its Avro type and event id. */
    public record Event(String type, String eventId) {
    }

    private NormalizedEvents() {
    }

    public static AuditDecision decision(String tenantId, String environment, String messageId, List<Event> events,
                                         String actor) {
        var detail = new StringBuilder(events.size() * 52);
        for (Event event : events) {
            detail.append(detail.isEmpty() ? "" : ", ").append(event.type()).append(' ').append(event.eventId());
        }
        return new AuditDecision(ACTION, AuditDecision.SUCCESS, tenantId, environment, messageId,
                events.isEmpty() ? null : events.get(0).eventId(), detail.isEmpty() ? "no events" : detail.toString(),
                actor, Instant.now());
    }

    /** The events a {@code raw.normalized} entry's detail names; none for one that named none. */
    public static List<Event> of(String detail) {
        var events = new ArrayList<Event>();
        if (detail == null || detail.equals("no events")) {
            return events;
        }
        for (String part : detail.split(", ")) {
            int space = part.indexOf(' ');
            if (space > 0) {
                events.add(new Event(part.substring(0, space), part.substring(space + 1)));
            }
        }
        return events;
    }
}
