package labops.ingress.raw;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import labops.platform.kafka.DeadLetter;
import labops.schemas.DeadLetterHeaders.Code;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes raw messages with the header contract. The future completes only when Kafka has acknowledged
 * the write to all in-sync replicas ({@code acks=all}, idempotent producer): the moment a sender may be told AA.
 */
@Component
public class RawPublisher {

    /** The dead-letter stage of ingress's refusals. */
    private static final String STAGE = "ingress";

    private final Producer<Object, Object> producer;

    /** Ingress's one shared producer, used directly: at line rate the template's per-send extras are measurable. */
    public RawPublisher(ProducerFactory<Object, Object> producers) {
        this.producer = producers == null ? null : producers.createProducer();
    }

    public CompletableFuture<Void> publish(String topic, String key, RawMessage message) {
        return send(topic, key, message, headers(message));
    }

    /**
     * Keeps a message ingress refused on the raw topic's dead-letter topic, for ops: the dead-letter headers name the
     * raw topic it was meant for (never on it: no partition or offset) and the reason the sender was told.
     */
    public CompletableFuture<Void> reject(String topic, String key, RawMessage message, String reason) {
        var refused = new DeadLetter(Code.REFUSED, reason, STAGE, topic, -1, -1, message.receivedAt(), 1);
        return send(Topics.deadLetterOf(topic), key, message, refused.writeTo(headers(message)));
    }

    private static Headers headers(RawMessage message) {
        Headers headers = new RecordHeaders();
        add(headers, RawHeaders.TENANT, message.tenantId());
        add(headers, RawHeaders.ENVIRONMENT, message.environment());
        add(headers, RawHeaders.CHANNEL, message.channel());
        add(headers, RawHeaders.CONTENT_TYPE, message.contentType());
        add(headers, RawHeaders.RECEIVED_AT, message.receivedAt().toString());
        add(headers, RawHeaders.MESSAGE_ID, message.messageId().toString());
        add(headers, RawHeaders.IDEMPOTENCY_KEY, message.idempotencyKey());
        add(headers, RawHeaders.SENDER_ADDRESS, message.senderAddress());
        add(headers, RawHeaders.CREDENTIAL_ID, message.credentialId());
        message.extraHeaders().forEach((name, value) -> add(headers, name, value));
        return headers;
    }

    private CompletableFuture<Void> send(String topic, String key, RawMessage message, Headers headers) {
        var stored = new CompletableFuture<Void>();
        try {
            producer.send(new ProducerRecord<>(topic, null, key, message.payload(), headers), (metadata, failure) -> {
                if (failure == null) {
                    stored.complete(null);
                } else {
                    stored.completeExceptionally(failure);
                }
            });
            return stored;
        } catch (RuntimeException e) {
            // The client throws instead of failing the future when it cannot even get metadata.
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
