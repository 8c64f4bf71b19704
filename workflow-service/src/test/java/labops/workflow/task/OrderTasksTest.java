package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.platform.kafka.AvroSerdes;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import labops.testsupport.ApiAccessContract;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Orders arrive in batches, some redelivered: one task per new order, none for updates or repeats. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderTasksTest extends ApiAccessContract {

    @Autowired
    TaskRepository tasks;

    @Test
    void aBatchWithRepeatsAndUpdatesCreatesOneTaskPerNewOrder() throws Exception {
        String tenant = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        var events = new java.util.ArrayList<LabOrderEvent>();
        for (int i = 0; i < 50; i++) {
            events.add(SampleEvents.labOrder(tenant, "PON-" + i));
        }
        var update = SampleEvents.labOrder(tenant, "PON-UPDATE");
        update.setAction(OrderAction.UPDATE);

        send(events);
        send(List.of(events.get(3), events.get(17), update));

        var open = Eventually.await("50 tasks", Duration.ofSeconds(30), () -> {
            var found = tasks.findByTenant(tenant, "open");
            return found.size() >= 50 ? Optional.of(found) : Optional.empty();
        });
        assertThat(open).hasSize(50).extracting(Task::placerOrderNumber).doesNotHaveDuplicates()
                .doesNotContain("PON-UPDATE");
    }

    private static void send(List<LabOrderEvent> events) throws Exception {
        var config = new HashMap<String, Object>(AvroSerdes.producerConfig(LabOpsInfrastructure.registry().apicurioUrl()));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LabOpsInfrastructure.kafka().bootstrapServers());
        var values = new AvroKafkaSerializer<LabOrderEvent>();
        values.configure(config, false);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            for (var event : events) {
                producer.send(new ProducerRecord<>(Topics.CANONICAL_ORDERS, event.getTenantId(), event));
            }
            producer.flush();
        }
    }
}
