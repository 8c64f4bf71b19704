package labops.normalizer.raw;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import labops.events.EventSource;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.PatientAction;
import labops.events.PatientEvent;
import labops.normalizer.profile.ProfileMapping;

/**
 * What every event from one raw message shares, whatever its format: where it came from, when it happened, the
 * tenant's profile applied to it, and the ids and keys its events get.
 *
 * @param <P> the format's view of the tenant's mapping profile
 */
public record EventContext<P extends ProfileMapping>(RawRecord raw, EventSource source, Instant occurredAt, P profile) {

    /** The same raw message always yields the same event ids, so a replay is recognised downstream. */
    public UUID eventId(String part) {
        return UUID.nameUUIDFromBytes((raw.messageId() + "#" + part).getBytes(StandardCharsets.UTF_8));
    }

    public String key(String suffix) {
        return raw.tenantId() + "|" + suffix;
    }

    /** The raw message's own key: it follows the patient without naming them. */
    public String patientKey() {
        return raw.partitionKey() != null ? raw.partitionKey() : key(raw.messageId());
    }

    /** An order event with this message's header filled in; {@code part} names it among the message's events. */
    public LabOrderEvent.Builder order(String part) {
        return LabOrderEvent.newBuilder().setEventId(eventId(part)).setTenantId(raw.tenantId())
                .setEnvironment(raw.environment()).setOccurredAt(occurredAt).setSource(source);
    }

    public PatientEvent.Builder patient(String part, PatientAction action) {
        return PatientEvent.newBuilder().setEventId(eventId(part)).setTenantId(raw.tenantId())
                .setEnvironment(raw.environment()).setOccurredAt(occurredAt).setSource(source).setAction(action);
    }

    public LabResultEvent.Builder result(String part) {
        return LabResultEvent.newBuilder().setEventId(eventId(part)).setTenantId(raw.tenantId())
                .setEnvironment(raw.environment()).setOccurredAt(occurredAt).setSource(source);
    }
}
