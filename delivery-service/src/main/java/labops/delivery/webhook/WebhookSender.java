package labops.delivery.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import labops.delivery.DeliveryProperties;
import labops.delivery.destination.ResultDestination;
import labops.events.LabResultEvent;
import labops.platform.outbound.OutboundAddressPolicy;
import labops.platform.outbound.OutboundHttpClients;
import labops.platform.webhook.StandardWebhooks;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts a result to a webhook, signed Standard Webhooks style, through the outbound address policy: a destination
 * that is, or resolves to, an internal address is refused before any connection is made
 * ({@link labops.platform.outbound.OutboundAddressRefusedException}).
 */
@Component
class WebhookSender implements DisposableBean {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CloseableHttpClient http;

    WebhookSender(OutboundAddressPolicy policy, DeliveryProperties properties) {
        this.http = OutboundHttpClients.create(policy, properties.webhookTimeout());
    }

    /** The HTTP status the destination answered. */
    int send(ResultDestination destination, LabResultEvent result) throws IOException {
        byte[] body = JSON.writeValueAsBytes(ResultPayload.of(result));
        // The id stays the same on every attempt so the receiver can drop duplicates.
        String id = "msg_" + result.getEventId();
        long timestamp = Instant.now().getEpochSecond();
        var post = new HttpPost(URI.create(destination.url()));
        post.setHeader(StandardWebhooks.ID, id);
        post.setHeader(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
        post.setHeader(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(id, timestamp, body, destination.secrets()));
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        Integer status = http.execute(post, response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
        return status;
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }
}
