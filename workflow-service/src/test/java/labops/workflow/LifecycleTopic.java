package labops.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.avro.generic.GenericRecord;

/**
 * An order's changes on {@code labops.workflow.orders} as an analytics consumer reads them: a plain Avro reader and the
 * registry's Confluent API, none of Lab Ops' serde code.
 */
public final class LifecycleTopic {

    private LifecycleTopic() {
    }

    /** The order's changes, in order, once there are at least {@code atLeast}. */
    public static List<GenericRecord> changes(String tenant, String order, int atLeast) {
        var reader = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        return Eventually.await(atLeast + " lifecycle events of " + order, Duration.ofSeconds(30), () -> {
            var found = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.WORKFLOW_ORDERS)
                    .stream().map(r -> reader.decode(r.value()))
                    .filter(e -> e.get("tenantId").toString().equals(tenant) && e.get("orderNumber").toString().equals(order))
                    .toList();
            return found.size() >= atLeast ? Optional.of(found) : Optional.empty();
        });
    }

    /** The statuses the order went through, once there are at least {@code atLeast}. */
    public static List<String> statuses(String tenant, String order, int atLeast) {
        return changes(tenant, order, atLeast).stream().map(e -> e.get("status").toString()).toList();
    }
}
