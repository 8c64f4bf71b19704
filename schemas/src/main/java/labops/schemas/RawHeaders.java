package labops.schemas;

import java.util.List;

/**
 * The header contract of the raw topics ({@code labops.raw.*}). The record value is the payload
 * exactly as received; everything Lab Ops knows about it travels in these headers, as UTF-8 strings.
 * Ingress writes them; the normalizer copies the ones it needs into {@code EventSource}; dead-letter
 * records keep them unchanged so a replay is identical to the original.
 */
public final class RawHeaders {

    /** Tenant id the credential or endpoint resolved to. */
    public static final String TENANT = "labops-tenant";
    /** {@code sandbox} or {@code production}. */
    public static final String ENVIRONMENT = "labops-environment";
    /** How the message arrived: {@code mllp}, {@code http-hl7}, {@code fhir-rest}, {@code rest}, {@code upload}, {@code fhir-pull}. */
    public static final String CHANNEL = "labops-channel";
    /** MIME type of the payload, e.g. {@code application/hl7-v2}, {@code application/fhir+json}, {@code text/csv}. */
    public static final String CONTENT_TYPE = "labops-content-type";
    /** ISO-8601 instant at which ingress had the whole message, before publishing. */
    public static final String RECEIVED_AT = "labops-received-at";
    /** Lab Ops' own id of this raw message (UUID); every audit entry and event points back to it. */
    public static final String MESSAGE_ID = "labops-message-id";
    /** The sender's id for de-duplication: MSH-10, an Idempotency-Key header, a file digest. */
    public static final String IDEMPOTENCY_KEY = "labops-idempotency-key";
    /** Remote address of the sender, {@code host:port}. */
    public static final String SENDER_ADDRESS = "labops-sender-address";
    /** Id of the credential or endpoint that authenticated the sender. */
    public static final String CREDENTIAL_ID = "labops-credential-id";

    /** The person who entered the message in Lab Ops (username), when a person did: results they may not release. */
    public static final String ENTERED_BY = "labops-entered-by";
    /** On rows of an import ({@code labops.raw.csv}): the import batch (UUID) the row was approved from. */
    public static final String IMPORT_BATCH = "labops-import-batch";
    /** On rows of an import: the row's number in its file (the header is row 1). */
    public static final String IMPORT_ROW = "labops-import-row";

    // Dead-letter records carry these unchanged, and the dead-letter headers of {@link DeadLetterHeaders}.

    /** Headers every raw record must carry. */
    public static final List<String> REQUIRED = List.of(
            TENANT, ENVIRONMENT, CHANNEL, CONTENT_TYPE, RECEIVED_AT, MESSAGE_ID, IDEMPOTENCY_KEY, SENDER_ADDRESS, CREDENTIAL_ID);

    private RawHeaders() {
    }
}
