package labops.systemtests;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import labops.deploy.WebhookReceiver;

/**
 * The hospital's result endpoint: accepts a delivery only when its Standard Webhooks signature verifies
 * (checked by the hospital-side verifier, not by Lab Ops' signing code). Can be taken down and brought back.
 */
final class SignatureCheckingReceiver {

    private final int port;
    private volatile List<byte[]> keys;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private HttpServer server;

    SignatureCheckingReceiver(int port, String secret) {
        this.port = port;
        requireSignaturesOf(List.of(secret));
    }

    /** From now on a delivery is accepted only when it carries a valid signature for each of {@code secrets}. */
    void requireSignaturesOf(List<String> secrets) {
        keys = secrets.stream().map(s -> Base64.getDecoder().decode(s.substring("whsec_".length()))).toList();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/results";
    }

    synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/results", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            String problem = null;
            for (byte[] key : keys) {
                String refused = WebhookReceiver.verify(key, headers.getFirst("webhook-id"),
                        headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"), body);
                problem = problem == null ? refused : problem;
            }
            if (problem == null) {
                deliveries.add(new Delivery(headers.getFirst("webhook-id"), new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
            } else {
                rejected.add(problem);
                exchange.sendResponseHeaders(401, -1);
            }
            exchange.close();
        });
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The bodies of the verified deliveries, in arrival order. */
    List<String> verified() {
        return deliveries.stream().map(Delivery::body).toList();
    }

    /**
     * Every verified delivery with its webhook id: a delivery repeated under the same id (the sender could not know
     * the first arrived) is one message to a Standard Webhooks receiver, which drops it by the id.
     */
    List<Delivery> deliveries() {
        return deliveries;
    }

    record Delivery(String webhookId, String body) {
    }

    List<String> rejected() {
        return rejected;
    }
}
