package labops.schemas;

/**
 * Headers on every audit decision record ({@code labops.audit.decisions}, JSON value), as UTF-8 strings: decisions are
 * keyed by the message they concern, so a consumer that only wants some tenants' or some actions' decisions reads
 * these instead of parsing every value.
 */
public final class AuditHeaders {

    /** The decision's tenant id. */
    public static final String TENANT = RawHeaders.TENANT;
    /** The decision's action: {@code raw.normalized}, {@code task.created}, {@code delivery.attempted}, ... */
    public static final String ACTION = "labops-audit-action";

    private AuditHeaders() {
    }
}
