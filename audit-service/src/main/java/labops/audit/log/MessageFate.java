package labops.audit.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import labops.platform.audit.NormalizedEvents;

/**
 * What became of one raw message, as the audit log tells it: for the sender that holds its Lab Ops id (the id a FHIR
 * create, a REST order or an HL7 message was given) and for ops.
 *
 * @param state      {@code received} (in Kafka, not normalized yet), {@code normalized} (its events are in
 *                   {@code events}) or {@code rejected} (by ingress or the normalizer; {@code reason} says why)
 * @param channel    the channel it arrived on, when it was stored
 * @param copies     how many copies of it were acknowledged later and not published again
 */
public record MessageFate(String messageId, String state, Instant receivedAt, String channel, List<Event> events,
                          String reason, int copies) {

    /** A canonical event made from the message. */
    public record Event(String eventId, String type, Instant at) {
    }

    /** The message's entries, oldest first, read into its fate; empty when the log knows nothing of it. */
    static Optional<MessageFate> of(String messageId, List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        String state = "received";
        Instant receivedAt = null;
        String channel = null;
        String reason = null;
        int copies = 0;
        var events = new ArrayList<Event>();
        for (AuditEntry entry : entries) {
            switch (entry.action()) {
                case "raw.received" -> {
                    receivedAt = entry.occurredAt();
                    channel = detail(entry.detail(), "channel");
                }
                case NormalizedEvents.ACTION -> {
                    state = "normalized";
                    NormalizedEvents.of(entry.detail()).forEach(event ->
                            events.add(new Event(event.eventId(), event.type(), entry.occurredAt())));
                }
                case "event.normalized" -> {
                    // One entry per event, as the log was written before one decision became one entry.
                    state = "normalized";
                    events.add(new Event(entry.eventId(), entry.detail(), entry.occurredAt()));
                }
                case "raw.dead-lettered" -> {
                    state = "rejected";
                    reason = entry.detail();
                    receivedAt = receivedAt == null ? entry.occurredAt() : receivedAt;
                }
                case "raw.duplicate" -> copies++;
                default -> {
                }
            }
        }
        return Optional.of(new MessageFate(messageId, state, receivedAt, channel, List.copyOf(events), reason, copies));
    }

    /** A {@code name=value} from an entry's detail ({@code channel=mllp topic=labops.raw.hl7v2}). */
    private static String detail(String detail, String name) {
        if (detail == null) {
            return null;
        }
        for (String part : detail.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }
}
