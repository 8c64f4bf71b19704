package labops.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Checks a running service the way an operator's monitoring would: over HTTP. */
public final class ServiceProbe {

    private static final String HEALTH = "/actuator/health";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProbe() {
    }

    public static void assertHealthy(int port) {
        var response = get(port, HEALTH);
        if (!isUp(response)) {
            throw new AssertionError("health on port " + port + " is " + response.statusCode() + ": " + response.body());
        }
    }

    /** True when the service on {@code port} answers its health check with UP; false when it does not answer. */
    public static boolean isHealthy(int port) {
        try {
            return isUp(HTTP.send(request(port, HEALTH).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Health without a token says UP or DOWN and nothing more: its components name hosts, ports and versions. */
    public static void assertNoHealthDetailsWithoutToken(int port) {
        var body = get(port, HEALTH).body();
        if (body.contains("components") || body.contains("details")) {
            throw new AssertionError("health on port " + port + " shows details to a caller without a token: " + body);
        }
    }

    public static void assertPrometheusMetrics(int port) {
        var response = get(port, "/actuator/prometheus");
        if (response.statusCode() != 200 || !response.body().contains("jvm_memory_used_bytes")) {
            throw new AssertionError("no Prometheus metrics on port " + port + ": " + response.statusCode());
        }
    }

    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on port " + port + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean isUp(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }
}
