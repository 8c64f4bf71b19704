package labops.schemas.auth;

import java.util.List;
import java.util.Map;

/**
 * The scopes a Lab Ops token can carry, and what each person role is granted. One list, read by the issuer
 * (tenant-service) and by every resource server, so a scope means the same everywhere.
 */
public final class Scopes {

    /** Create tenants, suspend and resume them (Lab Ops admins). */
    public static final String TENANTS_MANAGE = "tenants.manage";
    /** Manage one tenant's connections, credentials, secrets and users. */
    public static final String TENANT_ADMIN = "tenant.admin";
    /** Submit orders (hospital API clients). */
    public static final String ORDERS_WRITE = "orders.write";
    /** Submit results (a lab's system, or lab staff entering them on the result-review page). */
    public static final String RESULTS_WRITE = "results.write";
    /** Read results (hospital API clients). */
    public static final String RESULTS_READ = "results.read";
    /** See a tenant's staff queues. */
    public static final String TASKS_READ = "tasks.read";
    /** Work a tenant's staff queues. */
    public static final String TASKS_WRITE = "tasks.write";
    /** Release (or retract) results that wait for a person's review before they go to the hospital. */
    public static final String RESULTS_RELEASE = "results.release";
    /** See the patient behind a task (name, birth date, address, phone): every view is audited. */
    public static final String PATIENTS_READ = "patients.read";
    /** Read the audit log. */
    public static final String AUDIT_READ = "audit.read";
    /** Inspect and replay dead letters (ops). */
    public static final String DEAD_LETTERS = "deadletters.read";
    /** Lab Ops services only: read secret values they need to sign or verify. */
    public static final String SECRETS_READ = "secrets.read";

    /** Scopes a hospital may choose for an API credential. */
    public static final List<String> API_CLIENT = List.of(ORDERS_WRITE, RESULTS_READ, RESULTS_WRITE);

    /** What a person of each role may do; the tenant claim limits tenant roles to their tenant. */
    public static final Map<Role, List<String>> BY_ROLE = Map.of(
            Role.LABOPS_ADMIN, List.of(TENANTS_MANAGE, TENANT_ADMIN, TASKS_READ, AUDIT_READ, DEAD_LETTERS),
            Role.TENANT_ADMIN, List.of(TENANT_ADMIN, TASKS_READ, AUDIT_READ),
            Role.LAB_STAFF, List.of(TASKS_READ, TASKS_WRITE, RESULTS_WRITE, PATIENTS_READ),
            Role.LAB_REVIEWER, List.of(TASKS_READ, TASKS_WRITE, RESULTS_WRITE, RESULTS_RELEASE, PATIENTS_READ),
            Role.OPS, List.of(DEAD_LETTERS, AUDIT_READ, TASKS_READ));

    private Scopes() {
    }
}
