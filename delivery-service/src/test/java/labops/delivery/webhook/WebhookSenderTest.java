package labops.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import labops.delivery.DeliveryProperties;
import labops.delivery.destination.ResultDestination;
import labops.events.Interpretation;
import labops.platform.outbound.OutboundAddressPolicy;
import labops.platform.outbound.OutboundAddressRefusedException;
import labops.platform.outbound.OutboundProperties;
import labops.platform.webhook.StandardWebhooks;
import labops.testsupport.SampleEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What issue 28 tried as an attacker: a result destination on a loopback listener. */
class WebhookSenderTest {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    private HttpServer listener;
    private final List<Boolean> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            received.add(StandardWebhooks.verify(headers.getFirst(StandardWebhooks.ID),
                    headers.getFirst(StandardWebhooks.TIMESTAMP), headers.getFirst(StandardWebhooks.SIGNATURE), body,
                    List.of(SECRET), Instant.now()) == null);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.stop(0);
    }

    @Test
    void anInternalListenerReceivesNothingWhetherNamedByAddressOrByAName() throws Exception {
        var sender = sender(List.of());
        int port = listener.getAddress().getPort();
        for (String url : List.of("http://127.0.0.1:" + port + "/internal-admin", "http://localhost:" + port + "/x")) {
            assertThatThrownBy(() -> sender.send(destination(url), result()))
                    .isInstanceOf(OutboundAddressRefusedException.class)
                    .hasMessageContaining("is a loopback address");
        }
        sender.destroy();
        assertThat(received).isEmpty();
    }

    @Test
    void theReceiverTheDeploymentAllowsGetsTheSignedResult() throws Exception {
        int port = listener.getAddress().getPort();
        var sender = sender(List.of("127.0.0.1:" + port));
        assertThat(sender.send(destination("http://127.0.0.1:" + port + "/results"), result())).isEqualTo(204);
        sender.destroy();
        assertThat(received).containsExactly(true);
    }

    private static WebhookSender sender(List<String> allowed) {
        return new WebhookSender(new OutboundAddressPolicy(new OutboundProperties(allowed)),
                new DeliveryProperties(java.time.Duration.ofSeconds(2), new DeliveryProperties.Retry(
                        java.time.Duration.ofSeconds(1), 2.0)));
    }

    private static ResultDestination destination(String url) {
        return new ResultDestination(UUID.randomUUID(), "t1", "sandbox", url, List.of(SECRET));
    }

    private static labops.events.LabResultEvent result() {
        return SampleEvents.labResult("t1", "PO-1", Interpretation.HIGH);
    }
}
