package labops.tenant.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import labops.tenant.TenantServiceTest;
import labops.testsupport.Api;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** The token-signing key rotated by a Lab Ops admin, as a resource server elsewhere sees it through the JWKS. */
class SigningKeyRotationTest extends TenantServiceTest {

    @Autowired
    SigningKeys keys;
    @Autowired
    JdbcClient jdbc;

    @Test
    void tokensOfTheReplacedKeyKeepWorkingUntilItsOverlapEndsWhileNewOnesCarryTheNewKey() throws Exception {
        String before = adminToken();
        var admin = api(before);
        String old = JsonPath.read(Api.ok(admin.get("/api/signing-keys")), "$.signing");
        assertThat(kid(before)).isEqualTo(old);

        String rotated = Api.ok(admin.post("/api/signing-keys/rotate", null));
        String kid = JsonPath.read(rotated, "$.signing");
        assertThat(kid).isNotEqualTo(old);
        assertThat(JsonPath.<List<String>>read(rotated, "$.published")).containsExactly(kid, old);

        String after = adminToken();
        assertThat(kid(after)).isEqualTo(kid);
        var elsewhere = NimbusJwtDecoder.withJwkSetUri(ISSUER + "/oauth2/jwks").build();
        assertThat(elsewhere.decode(before).getSubject()).isEqualTo(ADMIN);
        assertThat(elsewhere.decode(after).getSubject()).isEqualTo(ADMIN);
        assertThat(api(before).get("/api/tenants").statusCode()).isEqualTo(200);
        assertThat(jwks()).contains(kid).contains(old);

        // The overlap is over: the old key leaves the JWKS, and its last tokens stop working.
        jdbc.sql("update token_signing_key set retired_at = now() - interval '2 hours' where kid = ?").param(old)
                .update();
        keys.reload();
        assertThat(jwks()).contains(kid).doesNotContain(old);
        assertThat(api(before).get("/api/tenants").statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> NimbusJwtDecoder.withJwkSetUri(ISSUER + "/oauth2/jwks").build().decode(before))
                .isInstanceOf(JwtException.class);
        assertThat(api(after).get("/api/tenants").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyLabOpsAdminsRotate() {
        String tenant = "t-" + Long.toHexString(System.nanoTime());
        var admin = api(adminToken());
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Keys\"}"));
        Api.ok(admin.post("/api/tenants/" + tenant + "/users", "{\"username\":\"admin-" + tenant
                + "\",\"displayName\":\"A\",\"role\":\"tenant-admin\",\"password\":\"a-long-enough-password\"}"));
        var tenantAdmin = api(TOKENS.person(CONSOLE, "admin-" + tenant, "a-long-enough-password"));
        assertThat(tenantAdmin.post("/api/signing-keys/rotate", null).statusCode()).isEqualTo(403);
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static String jwks() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/jwks")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
