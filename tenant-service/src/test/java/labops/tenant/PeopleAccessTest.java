package labops.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import org.junit.jupiter.api.Test;

/**
 * Issue 28's fourth row: a disabled person, or one given another role, keeps nothing. Their access token is refused
 * by every service within seconds (the tenant directory carries who may act), and the refresh grant re-checks them.
 */
class PeopleAccessTest extends TenantServiceTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void aDisabledPersonsAccessTokenAndRefreshTokenAreRefusedWithinSeconds() {
        var admin = api(adminToken());
        String tenant = TenantAdminApiTest.newTenant(admin);
        String userId = createUser(admin, tenant, "person-" + tenant, "tenant-admin");
        var tokens = TOKENS.personTokens(CONSOLE, "person-" + tenant, "a-long-enough-password");
        String page = "/api/tenants/" + tenant + "/users";
        assertThat(tokens.refreshToken()).isNotNull();
        assertThat(api(tokens.accessToken()).get("/api/tenants/" + tenant).statusCode()).isEqualTo(200);

        Api.ok(admin.post(page + "/" + userId + "/disable", null));
        Instant disabled = Instant.now();

        var refused = Eventually.await("the disabled person's token refused", WITHIN, () -> {
            var answer = api(tokens.accessToken()).get("/api/tenants/" + tenant);
            return answer.statusCode() == 401 ? Optional.of(answer) : Optional.empty();
        });
        System.out.printf("disabled person: access token refused %d ms after the change (%s)%n",
                Duration.between(disabled, Instant.now()).toMillis(),
                refused.headers().firstValue("WWW-Authenticate").orElse(""));
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).contains("access changed"));
        var refresh = TOKENS.refresh(CONSOLE, tokens.refreshToken());
        System.out.printf("disabled person: refresh grant answered %d %s%n", refresh.statusCode(), refresh.body());
        assertThat(refresh.statusCode()).isBetween(400, 401);
        assertThat(refresh.body()).doesNotContain("access_token");
    }

    @Test
    void anotherRoleEndsTheOldTokensAndTheRefreshGrantGivesTheNewRole() {
        var admin = api(adminToken());
        String tenant = TenantAdminApiTest.newTenant(admin);
        String userId = createUser(admin, tenant, "admin-" + tenant, "tenant-admin");
        var tokens = TOKENS.personTokens(CONSOLE, "admin-" + tenant, "a-long-enough-password");
        String users = "/api/tenants/" + tenant + "/users";
        assertThat(api(tokens.accessToken()).get(users).statusCode()).isEqualTo(200);

        Api.ok(admin.put(users + "/" + userId + "/role", "{\"role\":\"lab-staff\"}"));

        Eventually.await("the old role's token refused", WITHIN, () ->
                api(tokens.accessToken()).get(users).statusCode() == 401 ? Optional.of(true) : Optional.empty());
        var refreshed = TOKENS.refresh(CONSOLE, tokens.refreshToken());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String access = JsonPath.read(refreshed.body(), "$.access_token");
        assertThat(TenantAdminApiTest.claims(access).get("roles")).isEqualTo(List.of("lab-staff"));
        assertThat(api(access).get(users).statusCode()).as("taken, but lab staff do not manage users").isEqualTo(403);
    }

    private static String createUser(Api admin, String tenant, String username, String role) {
        String created = Api.ok(admin.post("/api/tenants/" + tenant + "/users", "{\"username\":\"" + username
                + "\",\"displayName\":\"Someone\",\"role\":\"" + role + "\",\"password\":\"a-long-enough-password\"}"));
        return JsonPath.read(created, "$.id");
    }
}
