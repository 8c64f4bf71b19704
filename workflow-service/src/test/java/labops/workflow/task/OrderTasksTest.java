package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.OrderAction;
import labops.workflow.CanonicalEvents;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import labops.testsupport.ApiAccessContract;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Orders arrive in batches, some redelivered: one task per new order, none for updates or repeats; cancels, holds and
 * releases move the order's task; critical results open a call-back task.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderTasksTest extends ApiAccessContract {

    @Autowired
    TaskRepository tasks;

    @Autowired
    OrderTasks orderTasks;

    @Autowired
    ResultTasks resultTasks;

    @Autowired
    org.springframework.transaction.support.TransactionOperations transactions;

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

    @Test
    void cancelClosesTheOrdersTaskAndHoldAndReleaseParkAndReopenIt() throws Exception {
        String tenant = "lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
        var cancelled = SampleEvents.labOrder(tenant, "PON-CANCEL");
        var held = SampleEvents.labOrder(tenant, "PON-HOLD");
        var resumed = SampleEvents.labOrder(tenant, "PON-RESUME");
        var untouched = SampleEvents.labOrder(tenant, "PON-KEEP");
        // An order and its cancel in one batch: the cancel must see the task the order just created.
        send(List.of(cancelled, held, resumed, untouched, followUp(cancelled, OrderAction.CANCEL),
                followUp(held, OrderAction.HOLD), followUp(resumed, OrderAction.HOLD)));
        send(List.of(followUp(resumed, OrderAction.RESUME)));

        Eventually.await("resumed", Duration.ofSeconds(30), () -> tasks.findByTenant(tenant, Task.OPEN).size() == 2
                ? Optional.of(true) : Optional.empty());
        assertThat(tasks.findByTenant(tenant, Task.OPEN)).extracting(Task::placerOrderNumber)
                .containsExactlyInAnyOrder("PON-RESUME", "PON-KEEP");
        assertThat(tasks.findByTenant(tenant, Task.CANCELLED)).extracting(Task::placerOrderNumber)
                .containsExactly("PON-CANCEL");
        assertThat(tasks.findByTenant(tenant, Task.ON_HOLD)).extracting(Task::placerOrderNumber)
                .containsExactly("PON-HOLD");
    }

    /**
     * One poll in which orders come again: each change must see what came before it for its order, though changes to
     * different orders go in one statement. Applied twice (a redelivery), it ends in the same tasks.
     */
    @Test
    void aPollWhereOrdersComeAgainIsAppliedInOrderAndARedeliveryConverges() {
        String tenant = "poll-" + UUID.randomUUID().toString().substring(0, 8);
        var a = SampleEvents.labOrder(tenant, "PON-A");
        var b = SampleEvents.labOrder(tenant, "PON-B");
        var c = SampleEvents.labOrder(tenant, "PON-C");
        var d = SampleEvents.labOrder(tenant, "PON-D");
        var poll = List.of(a, followUp(a, OrderAction.HOLD), followUp(a, OrderAction.RESUME), b,
                followUp(a, OrderAction.HOLD), followUp(b, OrderAction.CANCEL), c, followUp(c, OrderAction.HOLD), d);

        transactions.executeWithoutResult(status -> orderTasks.apply(poll));
        transactions.executeWithoutResult(status -> orderTasks.apply(poll));

        assertThat(tasks.findByTenant(tenant, Task.ON_HOLD)).extracting(Task::placerOrderNumber)
                .containsExactlyInAnyOrder("PON-A", "PON-C");
        assertThat(tasks.findByTenant(tenant, Task.CANCELLED)).extracting(Task::placerOrderNumber)
                .containsExactly("PON-B");
        assertThat(tasks.findByTenant(tenant, Task.OPEN)).extracting(Task::placerOrderNumber)
                .containsExactly("PON-D");
    }

    @Test
    void theQueueShowsStatTasksFirstThenTheOldest() {
        String tenant = "queue-" + UUID.randomUUID().toString().substring(0, 8);
        var routine = SampleEvents.labOrder(tenant, "PON-ROUTINE");
        var later = SampleEvents.labOrder(tenant, "PON-LATER");
        transactions.executeWithoutResult(status -> orderTasks.apply(List.of(routine)));
        transactions.executeWithoutResult(status -> orderTasks.apply(List.of(later)));
        transactions.executeWithoutResult(status -> resultTasks.apply(List.of(
                SampleEvents.labResult(tenant, "PON-CRITICAL", Interpretation.CRITICAL_HIGH)), List.of()));

        assertThat(tasks.findByTenant(tenant, Task.OPEN)).extracting(Task::placerOrderNumber)
                .containsExactly("PON-CRITICAL", "PON-ROUTINE", "PON-LATER");
    }

    @Test
    void aCriticalResultOpensOneCallBackTaskAndANormalOneNone() throws Exception {
        String tenant = "critical-" + UUID.randomUUID().toString().substring(0, 8);
        var critical = SampleEvents.labResult(tenant, "PON-K", Interpretation.CRITICAL_HIGH);
        var low = SampleEvents.labResult(tenant, "PON-GLU", Interpretation.CRITICAL_LOW);
        var normal = SampleEvents.labResult(tenant, "PON-NA", Interpretation.HIGH);

        send(Topics.CANONICAL_RESULTS, List.of(critical, low, normal, critical));

        var open = Eventually.await("call-back tasks", Duration.ofSeconds(30), () -> {
            var found = tasks.findByTenant(tenant, Task.OPEN);
            return found.size() >= 2 ? Optional.of(found) : Optional.empty();
        });
        assertThat(open).hasSize(2).allSatisfy(task -> {
            assertThat(task.kind()).isEqualTo(Task.CRITICAL_CALLBACK);
            assertThat(task.priority()).isEqualTo("STAT");
            assertThat(task.tests()).isEqualTo("2823-3");
        }).extracting(Task::placerOrderNumber).containsExactlyInAnyOrder("PON-K", "PON-GLU");
    }

    @Test
    void aMessageTheNormalizerCouldNotMapBecomesOneFixOrderDataTaskWithItsReason() throws Exception {
        String tenant = "unmappable-" + UUID.randomUUID().toString().substring(0, 8);
        var unmappable = deadLetter(tenant, "m-1", "normalizer", "PID-3 (patient identifier list) is missing");
        var refusedAtTheSocket = deadLetter(tenant, "m-2", "ingress", "MSH-9 (message type) is missing");
        // The dead-letter topic has one partition: once the last record's task exists, the others were handled.
        var last = deadLetter(tenant, "m-3", "normalizer", "OBR-4 (universal service identifier) is missing");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (var record : List.of(unmappable, refusedAtTheSocket, unmappable, last)) {
                producer.send(record).get();
            }
        }

        var open = Eventually.await("the last record's task", Duration.ofSeconds(30), () -> {
            var found = tasks.findByTenant(tenant, Task.OPEN);
            return found.stream().anyMatch(t -> t.rawMessageId().equals(tenant + "m-3")) ? Optional.of(found) : Optional.empty();
        });
        assertThat(open).hasSize(2).allSatisfy(task -> {
            assertThat(task.kind()).isEqualTo(Task.FIX_ORDER_DATA);
            assertThat(task.environment()).isEqualTo("sandbox");
        });
        assertThat(open).filteredOn(task -> task.rawMessageId().equals(tenant + "m-1")).singleElement()
                .extracting(Task::detail).isEqualTo("PID-3 (patient identifier list) is missing");
    }

    @Test
    void bytesThatAreNoEventCostThemselvesAndTheOrdersAroundThemBecomeTasks() throws Exception {
        String tenant = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        var before = SampleEvents.labOrder(tenant, "PON-BEFORE");
        var after = SampleEvents.labOrder(tenant, "PON-AFTER");
        send(List.of(before));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : List.of(Topics.CANONICAL_ORDERS, Topics.CANONICAL_RESULTS)) {
                // Keyed as the orders are: the same partition, between them.
                producer.send(new ProducerRecord<>(topic, tenant, bytes("not an Avro event\0"))).get();
            }
        }
        send(List.of(after));

        Eventually.await("the order after the poison", Duration.ofSeconds(60), () ->
                tasks.findByTenant(tenant, Task.OPEN).size() == 2 ? Optional.of(true) : Optional.empty());
        String group = "workflow";
        var dead = Eventually.await("both poison records on " + group + "'s DLT", Duration.ofSeconds(60), () -> {
            var found = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                    Topics.consumerDeadLetter(group)).stream()
                    .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8)
                            .equals(tenant)).toList();
            return found.size() >= 2 ? Optional.of(found) : Optional.empty();
        });
        assertThat(dead).hasSize(2).allSatisfy(record -> {
            assertThat(record.value()).isEqualTo(bytes("not an Avro event\0"));
            assertThat(header(record, DeadLetterHeaders.CODE)).isEqualTo("undecodable");
            assertThat(header(record, DeadLetterHeaders.STAGE)).isEqualTo(group);
        }).extracting(record -> header(record, DeadLetterHeaders.ORIGINAL_TOPIC))
                .containsExactlyInAnyOrder(Topics.CANONICAL_ORDERS, Topics.CANONICAL_RESULTS);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecord<String, byte[]> deadLetter(String tenant, String messageId, String stage,
                                                             String reason) {
        var record = new ProducerRecord<String, byte[]>(Topics.deadLetterOf(Topics.RAW_HL7V2), tenant,
                "MSH|^~\\&|...".getBytes(StandardCharsets.US_ASCII));
        record.headers().add(RawHeaders.TENANT, bytes(tenant)).add(RawHeaders.ENVIRONMENT, bytes("sandbox"))
                .add(RawHeaders.MESSAGE_ID, bytes(tenant + messageId)).add(DeadLetterHeaders.STAGE, bytes(stage))
                .add(DeadLetterHeaders.REASON, bytes(reason));
        return record;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static LabOrderEvent followUp(LabOrderEvent order, OrderAction action) {
        return LabOrderEvent.newBuilder(order).setEventId(UUID.randomUUID()).setAction(action).build();
    }

    private static void send(List<LabOrderEvent> events) throws Exception {
        send(Topics.CANONICAL_ORDERS, events);
    }

    private static void send(String topic, List<? extends SpecificRecordBase> events) throws Exception {
        CanonicalEvents.send(topic, events);
    }
}
