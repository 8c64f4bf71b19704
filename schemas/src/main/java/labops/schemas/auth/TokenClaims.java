package labops.schemas.auth;

/** Claims Lab Ops adds to tenant-service's JWTs, beyond {@code sub}, {@code scope}, {@code iss}, {@code exp}. */
public final class TokenClaims {

    /** Tenant id; absent for Lab Ops admins, ops and Lab Ops services, who act across tenants. */
    public static final String TENANT = "tenant";
    /** {@code sandbox} or {@code production}: set on API client tokens, which act in one environment only. */
    public static final String ENVIRONMENT = "environment";
    /** Who holds the token: {@code person}, {@code client} (a hospital API credential) or {@code service}. */
    public static final String KIND = "kind";
    /** Person tokens: the role ids, e.g. {@code ["tenant-admin"]}. */
    public static final String ROLES = "roles";

    private TokenClaims() {
    }
}
