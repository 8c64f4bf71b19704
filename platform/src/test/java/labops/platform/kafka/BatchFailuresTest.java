package labops.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/** A record whose decoding failed because the registry was unreachable is an outage, not an undecodable record. */
class BatchFailuresTest {

    @Test
    void aDecodingFailureCausedByAnUnreachableRegistryIsAnOutage() {
        var deserializer = new ErrorHandlingDeserializer<String>((Deserializer<String>) (topic, data) -> {
            throw new SerializationException("registry unreachable", new ConnectException("connection refused"));
        });
        deserializer.configure(Map.of(), false);
        var headers = new RecordHeaders();
        String value = deserializer.deserialize("t", headers, "x".getBytes(StandardCharsets.UTF_8));
        var record = new ConsumerRecord<>("t", 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 1, "k", value, headers,
                java.util.Optional.empty());

        assertThatThrownBy(() -> BatchFailures.apply(List.of(record), batch -> { }))
                .isInstanceOf(BatchListenerFailedException.class)
                .satisfies(e -> {
                    assertThat(ConsumerFailures.isOutage(e.getCause())).as(String.valueOf(e.getCause())).isTrue();
                    // The error handler classifies through causes, and a DeserializationException is fatal to it.
                    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                        assertThat(cause).isNotInstanceOf(DeserializationException.class);
                    }
                });
    }

    @Test
    void theRegistryFailingToRegisterASchemaIsAnOutageAndRefusingItIsNot() {
        var busy = new io.apicurio.registry.rest.v2.beans.Error();
        busy.setErrorCode(500);
        busy.setMessage("Timeout trying to lock table");
        var refused = new io.apicurio.registry.rest.v2.beans.Error();
        refused.setErrorCode(409);
        refused.setMessage("incompatible schema");

        assertThat(ConsumerFailures.isOutage(new SerializationException("registering",
                new io.apicurio.registry.rest.client.exception.RestClientException(busy)))).isTrue();
        assertThat(ConsumerFailures.isOutage(new SerializationException("registering",
                new io.apicurio.registry.rest.client.exception.RestClientException(refused)))).isFalse();
    }
}
