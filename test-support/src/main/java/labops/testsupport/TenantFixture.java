package labops.testsupport;

import java.util.List;
import java.util.UUID;

/**
 * A fresh tenant with one of each kind of caller, made through tenant-service's admin API as the console would: a
 * tenant admin, a lab staff member and a sandbox API client, each with a real token.
 */
public record TenantFixture(String tenantId, String adminToken, String staffToken, String staffUserId,
                            String clientId, String clientToken) {

    /** Every fixture person's password, for signing in through a browser. */
    public static final String PASSWORD = "a-long-enough-password";

    /** Every token of this tenant. */
    public List<String> tokens() {
        return List.of(adminToken, staffToken, clientToken);
    }

    /** Creates the tenant and its callers with a Lab Ops admin's {@code admin} API. */
    public static TenantFixture create(Api admin, TokenClient tokens, TokenClient.ConsoleClient console) {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Hospital " + tenant + "\"}"));
        user(admin, tenant, "admin-" + tenant, "tenant-admin");
        String staffId = Api.field(user(admin, tenant, "staff-" + tenant, "lab-staff"), "id");
        String issued = Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/credentials",
                "{\"name\":\"EHR\",\"scopes\":[\"orders.write\",\"results.read\"]}"));
        String clientId = Api.field(issued, "clientId");
        return new TenantFixture(tenant, tokens.person(console, "admin-" + tenant, PASSWORD),
                tokens.person(console, "staff-" + tenant, PASSWORD), staffId, clientId,
                tokens.clientCredentials(clientId, Api.field(issued, "clientSecret")));
    }

    /** A tenant made through the shared tenant-service process. */
    public static TenantFixture create(TenantServiceProcess tenantService) {
        return create(tenantService.api(tenantService.adminToken()), tenantService.tokens(), tenantService.console());
    }

    /** Another lab staff member of this tenant, signed in: their token. */
    public String anotherStaffToken(TenantServiceProcess tenantService, String username) {
        return anotherPerson(tenantService, username, "lab-staff");
    }

    /** Another person of this tenant with {@code role} ({@code lab-reviewer}, ...), signed in: their token. */
    public String anotherPerson(TenantServiceProcess tenantService, String username, String role) {
        user(tenantService.api(tenantService.adminToken()), tenantId, username, role);
        return tenantService.tokens().person(tenantService.console(), username, PASSWORD);
    }

    private static String user(Api admin, String tenant, String username, String role) {
        return Api.ok(admin.post("/api/tenants/" + tenant + "/users", "{\"username\":\"" + username
                + "\",\"displayName\":\"" + role + "\",\"role\":\"" + role + "\",\"password\":\"" + PASSWORD + "\"}"));
    }
}
