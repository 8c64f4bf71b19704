package labops.tenant.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import labops.tenant.TenantServiceTest;
import labops.testsupport.Api;
import org.junit.jupiter.api.Test;

/** Issue 28's sign-in row, as an attacker with a list of passwords would try it, over HTTP. */
class ThrottledSignInTest extends TenantServiceTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @Test
    void twentyWrongPasswordsLockTheAccountAndTheRightOneWaits() throws Exception {
        var admin = api(adminToken());
        String tenant = "t-" + Long.toHexString(System.nanoTime());
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Throttled\"}"));
        String username = "victim-" + tenant;
        Api.ok(admin.post("/api/tenants/" + tenant + "/users", "{\"username\":\"" + username
                + "\",\"displayName\":\"Victim\",\"role\":\"lab-staff\",\"password\":\"the-right-password\"}"));

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(signIn(username, "wrong-password-" + i));
        }
        System.out.println("20 wrong passwords answered: " + answers);
        assertThat(answers.subList(0, 5)).containsOnly("/login?error");
        assertThat(answers.subList(5, 20)).containsOnly("/login?throttled");
        assertThat(signIn(username, "the-right-password")).as("locked, whatever the password").isEqualTo(
                "/login?throttled");
        var page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ISSUER + "/login?throttled"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("Too many failed sign-ins");
    }

    @Test
    void anApiClientGuessingItsSecretIsAnswered429WithRetryAfter() throws Exception {
        var admin = api(adminToken());
        String tenant = "t-" + Long.toHexString(System.nanoTime());
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Throttled\"}"));
        String issued = Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/credentials",
                "{\"name\":\"EHR\",\"scopes\":[\"orders.write\"]}"));
        String clientId = JsonPath.read(issued, "$.clientId");
        String secret = JsonPath.read(issued, "$.clientSecret");

        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 20; i++) {
            last = TOKENS.requestClientCredentials(clientId, "wrong-" + i);
            statuses.add(last.statusCode());
        }
        System.out.println("20 wrong client secrets answered: " + statuses);
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 20)).containsOnly(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(JsonPath.<String>read(last.body(), "$.error_description")).contains("too many failed attempts");
        assertThat(TOKENS.requestClientCredentials(clientId, secret).statusCode()).isEqualTo(429);
    }

    /** Where the form sends the browser after a sign-in with {@code password}. */
    private static String signIn(String username, String password) throws Exception {
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        var form = http.send(HttpRequest.newBuilder(URI.create(ISSUER + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        var csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).isTrue();
        String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
        var answer = http.send(HttpRequest.newBuilder(URI.create(ISSUER + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(302);
        return URI.create(answer.headers().firstValue("Location").orElseThrow()).getPath()
                + "?" + URI.create(answer.headers().firstValue("Location").orElseThrow()).getQuery();
    }
}
