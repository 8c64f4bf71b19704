package labops.normalizer.raw;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import labops.events.Environment;
import labops.schemas.RawHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A raw message with its header contract read.
 *
 * @param partitionKey the raw record's Kafka key, {@code tenant|keyed hash of the patient}: events about the patient
 *                     reuse it, so they stay in order without naming the patient
 * @param contentType  the format within the raw topic's (REST orders or results); null where the topic has one
 * @param enteredBy    the person who entered the message in Lab Ops, when a person did
 */
public record RawRecord(String messageId, String tenantId, Environment environment, String channel, String senderAddress,
                        Instant receivedAt, byte[] payload, String partitionKey, String contentType, String enteredBy) {

    /** A record as a system sent it, in its topic's one format. */
    public RawRecord(String messageId, String tenantId, Environment environment, String channel, String senderAddress,
                     Instant receivedAt, byte[] payload, String partitionKey) {
        this(messageId, tenantId, environment, channel, senderAddress, receivedAt, payload, partitionKey, null, null);
    }

    public static RawRecord of(String key, Headers headers, byte[] payload) throws UnmappableMessageException {
        return new RawRecord(
                required(headers, RawHeaders.MESSAGE_ID),
                required(headers, RawHeaders.TENANT),
                environment(required(headers, RawHeaders.ENVIRONMENT)),
                required(headers, RawHeaders.CHANNEL),
                optional(headers, RawHeaders.SENDER_ADDRESS),
                Instant.parse(required(headers, RawHeaders.RECEIVED_AT)),
                payload,
                key,
                optional(headers, RawHeaders.CONTENT_TYPE),
                optional(headers, RawHeaders.ENTERED_BY));
    }

    private static Environment environment(String value) throws UnmappableMessageException {
        return switch (value) {
            case "sandbox" -> Environment.SANDBOX;
            case "production" -> Environment.PRODUCTION;
            default -> throw new UnmappableMessageException("unknown environment header value");
        };
    }

    private static String required(Headers headers, String name) throws UnmappableMessageException {
        String value = optional(headers, name);
        if (value == null || value.isBlank()) {
            throw new UnmappableMessageException("raw header " + name + " is missing");
        }
        return value;
    }

    private static String optional(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
