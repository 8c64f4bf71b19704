package labops.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code ./labops webhook-receiver}: a hospital-side endpoint for the demo tenant's results. Verifies each
 * delivery's Standard Webhooks signature (HMAC-SHA256 over {@code id.timestamp.body}, 5-minute replay window)
 * and prints what arrived. Independent of Lab Ops' own signing code on purpose.
 */
public final class WebhookReceiver {

    private static final long TOLERANCE_SECONDS = 300;

    private WebhookReceiver() {
    }

    public static void main(String[] args) throws IOException {
        Path secretFile = Path.of(".labops", "run", DemoTenant.SECRET_FILE);
        if (!Files.exists(secretFile)) {
            System.err.println("no " + secretFile + ": start the local stack first (./labops up)");
            System.exit(1);
        }
        byte[] key = Base64.getDecoder().decode(Files.readString(secretFile).trim().substring("whsec_".length()));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", DemoTenant.WEBHOOK_PORT), 0);
        server.createContext(DemoTenant.WEBHOOK_PATH, exchange -> handle(exchange, key));
        server.start();
        System.out.println("webhook receiver on http://127.0.0.1:" + DemoTenant.WEBHOOK_PORT + DemoTenant.WEBHOOK_PATH
                + " (Ctrl-C stops it)");
    }

    private static void handle(HttpExchange exchange, byte[] key) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        String problem = verify(key, id, timestamp, signatures, body);
        if (problem == null) {
            System.out.println("VERIFIED delivery " + id + ": " + new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
        } else {
            System.out.println("REJECTED delivery " + id + ": " + problem);
            exchange.sendResponseHeaders(401, -1);
        }
        exchange.close();
    }

    public static String verify(byte[] key, String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not a number";
        }
        if (Math.abs(Instant.now().getEpochSecond() - sentAt) > TOLERANCE_SECONDS) {
            return "timestamp outside the replay window";
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = mac.doFinal((id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return "HMAC unavailable";
        }
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(signature.substring(3)))) {
                return null;
            }
        }
        return "no matching v1 signature";
    }
}
