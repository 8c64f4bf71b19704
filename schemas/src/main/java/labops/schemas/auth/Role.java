package labops.schemas.auth;

import java.util.Arrays;

/** What a person signing in to the console is. Lab Ops admins and ops see every tenant; the others one. */
public enum Role {
    LABOPS_ADMIN("labops-admin", false),
    TENANT_ADMIN("tenant-admin", true),
    LAB_STAFF("lab-staff", true),
    /** Lab staff who may also release results that wait for review. */
    LAB_REVIEWER("lab-reviewer", true),
    OPS("ops", false);

    private final String id;
    private final boolean tenantScoped;

    Role(String id, boolean tenantScoped) {
        this.id = id;
        this.tenantScoped = tenantScoped;
    }

    public String id() {
        return id;
    }

    /** True when a person of this role belongs to exactly one tenant. */
    public boolean tenantScoped() {
        return tenantScoped;
    }

    public static Role of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role " + id));
    }
}
