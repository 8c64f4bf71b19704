package labops.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer without stickiness: each request goes to the next backend in turn, with the X-Forwarded headers a
 * real one adds (so a backend builds its URLs with the balancer's address). Records which backend served each path.
 */
final class AlternatingProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive");

    private final List<String> backends;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, List<Integer>> servedBy = new ConcurrentHashMap<>();

    AlternatingProxy(int port, List<String> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The backends (by index) that served requests to {@code path}, in order. */
    List<Integer> servedBy(String path) {
        return servedBy.getOrDefault(path, List.of());
    }

    private void forward(HttpExchange exchange) throws IOException {
        int backend = Math.floorMod(next.getAndIncrement(), backends.size());
        String path = exchange.getRequestURI().getRawPath();
        servedBy.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(backend);
        String query = exchange.getRequestURI().getRawQuery();
        var request = HttpRequest.newBuilder(URI.create(backends.get(backend) + path + (query == null ? "" : "?" + query)))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                        exchange.getRequestBody().readAllBytes()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("X-Forwarded-Host", "127.0.0.1:" + server.getAddress().getPort())
                .header("X-Forwarded-Port", Integer.toString(server.getAddress().getPort()))
                .header("X-Forwarded-Proto", "http");
        try {
            var answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
