package labops.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Checks a running service the way an operator's monitoring would: over HTTP. */
public final class ServiceProbe {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceProbe() {
    }

    public static void assertHealthy(int port) {
        var response = get(port, "/actuator/health");
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"UP\"")) {
            throw new AssertionError("health on port " + port + " is " + response.statusCode() + ": " + response.body());
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
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on port " + port + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
