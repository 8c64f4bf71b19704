package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import labops.testsupport.Api;
import labops.testsupport.ServiceProcess;
import labops.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two tenant-service instances behind "a load balancer" that alternates every request: each step of a person's
 * sign-in (authorize, the form, authorize again, code exchange) and each refresh lands on the other instance than the
 * step before. Works only because sign-in sessions, codes and refresh tokens live in PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoIssuersSystemTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final LabOpsSystem system = LabOpsSystem.get();
    private ServiceProcess second;
    private String[] instances;
    private int next;

    @BeforeAll
    void startASecondIssuer() {
        second = system.tenantService().startSecond(LabOpsSystem.LOGS);
        instances = new String[] {system.tenantService().issuer(), "http://127.0.0.1:" + second.port()};
    }

    @AfterAll
    void stopIt() {
        second.close();
    }

    @Test
    void aPersonSignsInAndRefreshesWithEveryStepOnTheOtherInstance() throws Exception {
        var tenantService = system.tenantService();
        var console = tenantService.console();
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = random();
        String authorize = "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
                console.clientId(), "scope", "openid profile", "redirect_uri", console.redirectUri(), "state", "s1",
                "code_challenge", challenge(verifier), "code_challenge_method", "S256"));

        var toLogin = send(http, get(authorize));
        assertThat(toLogin.statusCode()).isEqualTo(302);
        var form = send(http, get("/login"));
        var csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).isTrue();
        var signedIn = send(http, post("/login", "application/x-www-form-urlencoded", form(Map.of(
                "username", "admin", "password", LabOpsSystem.ADMIN_PASSWORD, "_csrf", csrf.group(1)))));
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).contains("/oauth2/authorize");
        var withCode = send(http, get(path(signedIn.headers().firstValue("Location").orElseThrow())));
        String callback = withCode.headers().firstValue("Location").orElseThrow();
        assertThat(callback).as("the code, from the instance that did not show the form").startsWith(
                console.redirectUri());
        String code = query(callback).get("code");

        var tokens = send(http, post("/oauth2/token", "application/x-www-form-urlencoded", form(Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", console.redirectUri(),
                "code_verifier", verifier))).header("Authorization", basic(console)));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        String refresh = JsonPath.read(tokens.body(), "$.refresh_token");
        for (int i = 0; i < 2; i++) {
            var refreshed = send(http, post("/oauth2/token", "application/x-www-form-urlencoded", form(Map.of(
                    "grant_type", "refresh_token", "refresh_token", refresh))).header("Authorization",
                    basic(console)));
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            refresh = JsonPath.read(refreshed.body(), "$.refresh_token");
            String access = JsonPath.read(refreshed.body(), "$.access_token");
            for (String instance : instances) {
                assertThat(new Api(instance, access).get("/api/tenants").statusCode())
                        .as("a token from either instance, taken by " + instance).isEqualTo(200);
            }
        }
        System.out.println("two issuers: sign-in and two refreshes alternated over " + String.join(" and ", instances));
    }

    /** The next instance in turn: the load balancer. */
    private String instance() {
        return instances[next++ % instances.length];
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(instance() + path)).header("Accept", "text/html").GET();
    }

    private HttpRequest.Builder post(String path, String type, String body) {
        return HttpRequest.newBuilder(URI.create(instance() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String path(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String basic(TokenClient.ConsoleClient console) {
        return "Basic " + Base64.getEncoder().encodeToString((console.clientId() + ":" + console.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(String url) {
        return java.util.Arrays.stream(URI.create(url).getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
