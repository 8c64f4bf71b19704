package labops.schemas;

/**
 * Headers on every canonical event record ({@code labops.canonical.*}), as UTF-8 strings: what a consumer that only
 * routes, counts or audits needs, without decoding the Avro value. The value stays the source of truth.
 */
public final class CanonicalHeaders {

    /** Tenant id (the event's {@code tenantId}). */
    public static final String TENANT = RawHeaders.TENANT;
    /** {@code sandbox} or {@code production} (the event's {@code environment}, lower case). */
    public static final String ENVIRONMENT = RawHeaders.ENVIRONMENT;
    /** The raw message the event was made from (the event's {@code source.rawMessageId}). */
    public static final String RAW_MESSAGE_ID = RawHeaders.MESSAGE_ID;
    /** The event's own id. */
    public static final String EVENT_ID = "labops-event-id";
    /** The event's Avro record name: {@code LabOrderEvent}, {@code LabResultEvent}, {@code PatientEvent}. */
    public static final String EVENT_TYPE = "labops-event-type";

    private CanonicalHeaders() {
    }
}
