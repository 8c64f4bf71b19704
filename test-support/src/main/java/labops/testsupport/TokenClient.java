package labops.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gets tokens from tenant-service over plain HTTP, the way a hospital system (client_credentials) and a person's
 * browser (authorization code + PKCE through the sign-in form) do. No Lab Ops code involved.
 */
public final class TokenClient {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String issuer;

    public TokenClient(String issuer) {
        this.issuer = issuer;
    }

    /** A client_credentials token; fails with the issuer's answer when refused. */
    public String clientCredentials(String clientId, String clientSecret) {
        var response = requestClientCredentials(clientId, clientSecret);
        if (response.statusCode() != 200) {
            throw new AssertionError("token request refused: " + response.statusCode() + " " + response.body());
        }
        return accessToken(response.body());
    }

    /** The token endpoint's raw answer to a client_credentials request. */
    public HttpResponse<String> requestClientCredentials(String clientId, String clientSecret) {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Authorization", basic(clientId, clientSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    /**
     * A person's access token: the authorization code flow with PKCE, signing in on the issuer's form as a browser
     * would. {@code client} is the console's client id and secret and one of its redirect URIs.
     */
    public String person(ConsoleClient client, String username, String password) {
        return personTokens(client, username, password).accessToken();
    }

    /** A person's access and refresh tokens, signed in as {@link #person} does. */
    public Tokens personTokens(ConsoleClient client, String username, String password) {
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = random();
        String state = random();
        String authorize = issuer + "/oauth2/authorize?" + form(Map.of("response_type", "code",
                "client_id", client.clientId(), "scope", "openid profile", "redirect_uri", client.redirectUri(),
                "state", state, "code_challenge", challenge(verifier), "code_challenge_method", "S256"));
        var toLogin = send(http, HttpRequest.newBuilder(URI.create(authorize)).header("Accept", "text/html").GET());
        expectRedirect(toLogin, "/login");
        var loginPage = send(http, HttpRequest.newBuilder(URI.create(issuer + "/login")).GET());
        Matcher csrf = CSRF.matcher(loginPage.body());
        if (!csrf.find()) {
            throw new AssertionError("no CSRF token on the sign-in page");
        }
        var signedIn = send(http, HttpRequest.newBuilder(URI.create(issuer + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password,
                        "_csrf", csrf.group(1))))));
        String back = expectRedirect(signedIn, "/oauth2/authorize");
        var withCode = send(http, HttpRequest.newBuilder(URI.create(back.startsWith("http") ? back : issuer + back))
                .header("Accept", "text/html").GET());
        String callback = expectRedirect(withCode, client.redirectUri());
        Map<String, String> query = query(URI.create(callback).getRawQuery());
        if (!state.equals(query.get("state"))) {
            throw new AssertionError("state not echoed: " + callback);
        }
        var token = send(http, HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Authorization", basic(client.clientId(), client.clientSecret()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "code", query.get("code"), "redirect_uri", client.redirectUri(), "code_verifier", verifier)))));
        if (token.statusCode() != 200) {
            throw new AssertionError("code exchange refused: " + token.statusCode() + " " + token.body());
        }
        Matcher refresh = REFRESH_TOKEN.matcher(token.body());
        return new Tokens(accessToken(token.body()), refresh.find() ? refresh.group(1) : null);
    }

    /** The refresh grant as the console makes it; the issuer's answer as it is. */
    public HttpResponse<String> refresh(ConsoleClient client, String refreshToken) {
        var http = HttpClient.newHttpClient();
        return send(http, HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Authorization", basic(client.clientId(), client.clientSecret()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "refresh_token",
                        "refresh_token", refreshToken)))));
    }

    /** @param refreshToken null when the issuer gave none */
    public record Tokens(String accessToken, String refreshToken) {
    }

    /** The console's registration at the issuer. */
    public record ConsoleClient(String clientId, String clientSecret, String redirectUri) {
    }

    private static String expectRedirect(HttpResponse<String> response, String expected) {
        String location = response.headers().firstValue("Location").orElse("");
        if (response.statusCode() / 100 != 3 || !location.contains(expected)) {
            throw new AssertionError("expected a redirect to " + expected + ", got " + response.statusCode() + " "
                    + location);
        }
        return location;
    }

    private static String accessToken(String body) {
        Matcher matcher = ACCESS_TOKEN.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no access_token in " + body);
        }
        return matcher.group(1);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(String raw) {
        return java.util.Arrays.stream(raw.split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
