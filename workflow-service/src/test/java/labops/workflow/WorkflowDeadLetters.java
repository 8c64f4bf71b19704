package labops.workflow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Workflow's dead-letter topic ({@code labops.dlt.workflow}) as ops read it. */
public final class WorkflowDeadLetters {

    private WorkflowDeadLetters() {
    }

    /** The first dead letter keyed {@code key}, once it is there. */
    public static ConsumerRecord<byte[], byte[]> first(String key) {
        return Eventually.await("a dead letter keyed " + key + " on workflow's DLT", Duration.ofSeconds(30), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                        Topics.consumerDeadLetter("workflow")).stream()
                        .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key))
                        .findFirst());
    }
}
