package labops.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The check at connect time, against a real listener on loopback: what a rebinding name would reach. */
class OutboundHttpClientsTest {

    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();

    @BeforeEach
    void listen() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/moved") ? 302 : 204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aLoopbackListenerIsNeverConnectedToByAddressOrByName() throws Exception {
        int port = server.getAddress().getPort();
        try (CloseableHttpClient client = client(List.of())) {
            for (String url : List.of("http://127.0.0.1:" + port + "/internal-admin", "http://localhost:" + port + "/")) {
                assertThatThrownBy(() -> client.execute(new HttpPost(url), response -> response.getCode()))
                        .isInstanceOf(OutboundAddressRefusedException.class)
                        .hasMessageContaining("loopback");
            }
        }
        assertThat(received).hasValue(0);
    }

    @Test
    void anAllowedReceiverIsCalledAndItsRedirectIsItsAnswerNotAHop() throws Exception {
        int port = server.getAddress().getPort();
        try (CloseableHttpClient client = client(List.of("127.0.0.1:" + port))) {
            assertThat(status(client, "http://127.0.0.1:" + port + "/results")).isEqualTo(204);
            assertThat(status(client, "http://127.0.0.1:" + port + "/moved")).isEqualTo(302);
        }
        assertThat(received).hasValue(2);
    }

    private static int status(CloseableHttpClient client, String url) throws Exception {
        Integer status = client.execute(new HttpPost(url), response -> response.getCode());
        return status;
    }

    private static CloseableHttpClient client(List<String> allowed) {
        return OutboundHttpClients.create(new OutboundAddressPolicy(new OutboundProperties(allowed)),
                Duration.ofSeconds(2));
    }
}
