package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import labops.testsupport.ServiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path over running services (each its own JVM, from its built jar), a real KRaft broker, the
 * real registry and PostgreSQL, with real credentials from tenant-service: an HL7 order from a hospital socket to
 * staff tasks and audit entries, and a lab result back to the hospital's signed webhook, including retries and the
 * delivery DLT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1)
class WalkingSkeletonSystemTest {

    private static final String TENANT = LabOpsSystem.TENANT;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The synthetic patient in the samples: none of this may reach a log. */
    static final List<String> PHI = List.of("TESTPATIENT", "ALICE", "19470312", "Sample Street", "555-0100",
            "14 New Street", "555-0199", "JANE", "19800102", "900-11-2222", "1 Main St", "555-0101");

    private LabOpsSystem system;
    private SignatureCheckingReceiver receiver;
    private String bootstrap;
    private ConfluentAvroReader avro;
    private int ordersPort;
    private int resultsPort;
    private Api workflow;
    private Api audit;

    @BeforeAll
    void startTheSystem() {
        system = LabOpsSystem.get();
        receiver = system.receiver();
        bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        avro = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        ordersPort = system.ordersPort();
        resultsPort = system.resultsPort();
        String staff = system.tenantAdminToken();
        workflow = system.api("workflow-service", staff);
        audit = system.api("audit-service", staff);
    }

    @Test
    @Order(1)
    void anOrderBecomesRawRecordEventsTasksAndAuditEntries() throws Exception {
        byte[] sent = sample("orm-o01-v23.hl7");

        var ack = MllpPeer.send(ordersPort, sent);

        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AA");
        assertThat(ack.field("MSA", 2)).isEqualTo("MSG-ORM-0001");

        var raw = awaitRecord(Topics.RAW_HL7V2, "MSG-ORM-0001");
        assertThat(raw.value()).as("raw record is byte-identical to what was sent").isEqualTo(sent);
        assertThat(header(raw, RawHeaders.TENANT)).isEqualTo(TENANT);
        assertThat(header(raw, RawHeaders.ENVIRONMENT)).isEqualTo("sandbox");
        assertThat(header(raw, RawHeaders.CHANNEL)).isEqualTo("mllp");
        String messageId = header(raw, RawHeaders.MESSAGE_ID);

        List<GenericRecord> orders = awaitEvents(Topics.CANONICAL_ORDERS, messageId, 2);
        assertThat(orders).extracting(o -> ((GenericRecord) o.get("placerOrderNumber")).get("value").toString())
                .containsExactlyInAnyOrder("PON-1001", "PON-1002");
        assertThat(orders).allSatisfy(o -> {
            assertThat(o.get("tenantId").toString()).isEqualTo(TENANT);
            assertThat(o.get("action").toString()).isEqualTo("NEW");
        });
        List<GenericRecord> patients = awaitEvents(Topics.CANONICAL_PATIENTS, messageId, 1);
        var name = (GenericRecord) ((List<?>) patients.get(0).get("names")).get(0);
        assertThat(name.get("family").toString()).isEqualTo("TESTPATIENT");
        assertThat(patients.get(0).get("birthDate")).isNotNull();

        String tasks = Eventually.await("two review tasks", WAIT, () -> {
            String body = Api.ok(workflow.get("/api/tenants/" + TENANT + "/tasks"));
            List<String> placers = JsonPath.read(body, "$[*].placerOrderNumber");
            return placers.containsAll(List.of("PON-1001", "PON-1002")) ? Optional.of(body) : Optional.empty();
        });
        assertThat(JsonPath.<List<String>>read(tasks, "$[*].kind")).containsOnly("review-new-order").hasSize(2);

        List<String> actions = awaitAudit(messageId, a -> a.stream().filter("task.created"::equals).count() == 2);
        assertThat(actions).contains("raw.received")
                .filteredOn("raw.normalized"::equals).as("one decision, one entry").hasSize(1);
        String fate = Api.ok(audit.get("/api/tenants/" + TENANT + "/environments/sandbox/messages/" + messageId));
        assertThat(JsonPath.<List<String>>read(fate, "$.events[*].type")).as("the entry names its three events")
                .containsExactlyInAnyOrder("LabOrderEvent", "LabOrderEvent", "PatientEvent");
    }

    @Test
    @Order(2)
    void malformedMessagesAreRefusedWithAReasonAndKept() throws Exception {
        var notHl7 = MllpPeer.send(ordersPort, "GET / HTTP/1.1\r\nHost: lab\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(notHl7.field("MSA", 1)).as(notHl7.text()).isEqualTo("AR");
        assertThat(notHl7.segment("ERR")).as("ERR segment").isPresent();
        assertThat(notHl7.text()).contains("not an HL7 v2 message");

        byte[] noType = "MSH|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125083000|||MSG-NO-TYPE|P|2.3\rPID|1||MRN-1\r"
                .getBytes(StandardCharsets.US_ASCII);
        var missingType = MllpPeer.send(ordersPort, noType);
        assertThat(missingType.field("MSA", 1)).as(missingType.text()).isEqualTo("AE");
        assertThat(missingType.field("MSA", 2)).isEqualTo("MSG-NO-TYPE");
        assertThat(missingType.segment("ERR")).isPresent();
        assertThat(missingType.text()).contains("MSH-9");

        var kept = Eventually.await("both refusals on the dead-letter topic", WAIT, () -> {
            var records = KafkaTopicReader.readAll(bootstrap, Topics.deadLetterOf(Topics.RAW_HL7V2));
            var reasons = records.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList();
            return reasons.stream().anyMatch(r -> r.contains("not an HL7 v2 message"))
                    && reasons.stream().anyMatch(r -> r.contains("MSH-9")) ? Optional.of(records) : Optional.empty();
        });
        assertThat(kept).anySatisfy(r -> assertThat(r.value()).isEqualTo(noType));

        Eventually.await("dead-lettering audited", WAIT, () -> {
            String body = Api.ok(audit.get("/api/tenants/" + TENANT + "/audit?action=raw.dead-lettered&limit=1000"));
            List<String> details = JsonPath.read(body, "$[*].detail");
            return details.stream().filter(d -> d.startsWith("ingress: ")).count() >= 2 ? Optional.of(details) : Optional.empty();
        });
    }

    @Test
    @Order(3)
    void anOrderTheNormalizerCannotMapIsDeadLetteredWithItsReasonAndOriginalHeaders() throws Exception {
        byte[] sent = sample("orm-o01-v23.hl7", "MSG-ORM-0001", "MSG-ORM-UNMAPPABLE", "ORC|NW|PON-1001", "ORC|ZZ|PON-1001");

        var ack = MllpPeer.send(ordersPort, sent);
        assertThat(ack.field("MSA", 1)).as("ingress accepts what it can store; mapping is the normalizer's job")
                .isEqualTo("AA");

        var dead = awaitRecord(Topics.deadLetterOf(Topics.RAW_HL7V2), "MSG-ORM-UNMAPPABLE");
        assertThat(dead.value()).isEqualTo(sent);
        assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("normalizer");
        assertThat(header(dead, DeadLetterHeaders.REASON))
                .startsWith("ORC-1 order control ZZ is not supported (order group 1); supported: NW, XO");
        assertThat(header(dead, RawHeaders.TENANT)).isEqualTo(TENANT);
        String messageId = header(dead, RawHeaders.MESSAGE_ID);
        assertThat(messageId).isNotBlank();

        List<String> actions = awaitAudit(messageId, a -> a.contains("raw.dead-lettered") && a.contains("task.created"));
        assertThat(actions).contains("raw.received").doesNotContain("raw.normalized");
        String fix = awaitTasks("open", List.of(), "fix-order-data");
        assertThat(JsonPath.<List<String>>read(fix, "$[?(@.rawMessageId == '" + messageId + "')].detail"))
                .singleElement().asString().startsWith("ORC-1 order control ZZ is not supported");
    }

    @Test
    @Order(4)
    void everyOrderAndPatientTypeIsAcceptedACancelClosesItsTaskAndACriticalResultOpensACallBack() throws Exception {
        for (String message : List.of("oml-o21.hl7", "adt-a08.hl7", "adt-a40.hl7")) {
            var ack = MllpPeer.send(ordersPort, sample(message));
            assertThat(ack.field("MSA", 1)).as(message + ": " + ack.text()).isEqualTo("AA");
        }
        awaitTasks("open", List.of("PON-2001", "PON-2002"));
        String merge = header(awaitRecord(Topics.RAW_HL7V2, "MSG-ADT-0040"), RawHeaders.MESSAGE_ID);
        var merged = awaitEvents(Topics.CANONICAL_PATIENTS, merge, 1).get(0);
        assertThat(merged.get("action").toString()).isEqualTo("MERGE");
        assertThat(((GenericRecord) ((List<?>) merged.get("mergedIdentifiers")).get(0)).get("value").toString())
                .isEqualTo("MRN-999999");

        byte[] cancel = ("MSH|^~\\&|DEMO-EHR|DEMO-HOSPITAL|LABOPS|LAB|20261125093000||ORM^O01|MSG-ORM-CANCEL|P|2.3\r"
                + "PID|1||MRN-200001^^^DEMO-HOSPITAL^MR\r"
                + "ORC|CA|PON-2001^DEMO-EHR\r"
                + "OBR|1|PON-2001^DEMO-EHR||2345-7^Glucose^LN\r").getBytes(StandardCharsets.US_ASCII);
        assertThat(MllpPeer.send(ordersPort, cancel).field("MSA", 1)).isEqualTo("AA");
        awaitTasks("cancelled", List.of("PON-2001"));
        assertThat(JsonPath.<List<String>>read(Api.ok(workflow.get("/api/tenants/" + TENANT + "/tasks")),
                "$[*].placerOrderNumber")).contains("PON-2002").doesNotContain("PON-2001");

        var wrongEndpoint = MllpPeer.send(ordersPort, sample("oru-r01.hl7"));
        assertThat(wrongEndpoint.field("MSA", 1)).as(wrongEndpoint.text()).isEqualTo("AR");
        assertThat(wrongEndpoint.text()).as("ERR-8, the component separator escaped as \\S\\")
                .contains("message type ORU\\S\\R01 is not accepted on this orders endpoint (accepted: ORM\\S\\O01, "
                        + "OML\\S\\O21, ADT\\S\\A01, ADT\\S\\A04, ADT\\S\\A08, ADT\\S\\A40)");

        byte[] critical = sample("oru-r01.hl7", "MSG-ORU-0001", "MSG-ORU-CRITICAL", "PON-1001", "PON-2002",
                "|70-99|H|", "|70-99|HH|");
        assertThat(MllpPeer.send(resultsPort, critical).field("MSA", 1)).isEqualTo("AA");
        String callBack = awaitTasks("open", List.of("PON-2002"), "critical-callback");
        assertThat(JsonPath.<List<String>>read(callBack, "$[?(@.kind == 'critical-callback')].priority"))
                .containsExactly("STAT");
    }

    /** The tenant's tasks in {@code status} once they include every placer number (and, if given, the kind). */
    private String awaitTasks(String status, List<String> placers, String... kind) {
        return Eventually.await(status + " tasks " + placers, WAIT, () -> {
            String body = Api.ok(workflow.get("/api/tenants/" + TENANT + "/tasks?status=" + status));
            List<String> found = JsonPath.read(body, kind.length == 0 ? "$[*].placerOrderNumber"
                    : "$[?(@.kind == '" + kind[0] + "')].placerOrderNumber");
            return !found.isEmpty() && found.containsAll(placers) ? Optional.of(body) : Optional.empty();
        });
    }

    @Test
    @Order(5)
    void aResultThatCannotBeDeliveredIsRetriedAndEndsInTheDeliveryDlt() throws Exception {
        receiver.stop();
        byte[] result = sample("oru-r01.hl7", "PON-1001", "PON-1002", "MSG-ORU-0001", "MSG-ORU-0002");

        var ack = MllpPeer.send(resultsPort, result);
        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AA");

        var deadRecord = Eventually.await("result on the delivery DLT", Duration.ofSeconds(90), () ->
                KafkaTopicReader.readAll(bootstrap, Topics.deliveryDeadLetter()).stream()
                        .filter(r -> "PON-1002".equals(((GenericRecord) avro.decode(r.value()).get("placerOrderNumber"))
                                .get("value").toString()))
                        .findFirst());
        // The one dead-letter header format, carried over the retry topics from the result's first read.
        assertThat(header(deadRecord, DeadLetterHeaders.CODE)).isEqualTo("undeliverable");
        assertThat(header(deadRecord, DeadLetterHeaders.STAGE)).isEqualTo("delivery");
        assertThat(header(deadRecord, DeadLetterHeaders.REASON)).isEqualTo("webhook unreachable: connection refused");
        assertThat(header(deadRecord, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.RESULTS_RELEASED);
        assertThat(header(deadRecord, DeadLetterHeaders.ATTEMPTS)).isEqualTo("" + Topics.DELIVERY_ATTEMPTS);
        assertThat(java.time.Instant.parse(header(deadRecord, DeadLetterHeaders.FIRST_FAILED_AT)))
                .as("the first attempt's failure, 2 + 4 + 8 s of retry delays before the last")
                .isBefore(java.time.Instant.now().minusSeconds(10));
        var dead = avro.decode(deadRecord.value());
        String messageId = ((GenericRecord) dead.get("source")).get("rawMessageId").toString();
        // The audit log trails the dead-lettering by moments: wait for its entry, and for as many failed attempts.
        String failed = "$[?(@.action == 'delivery.attempted' && @.outcome == 'failure')].detail";
        String entries = awaitAuditEntries(messageId, all -> JsonPath.<List<String>>read(all, "$[*].action")
                .contains("delivery.dead-lettered") && JsonPath.<List<String>>read(all, failed).size()
                >= Topics.DELIVERY_ATTEMPTS);
        assertThat(JsonPath.<List<String>>read(entries, failed)).hasSize(Topics.DELIVERY_ATTEMPTS);
        // Staff are told: delivery's outcome becomes a task in the tenant's queue.
        String failedTask = awaitTasks("open", List.of("PON-1002"), "delivery-failed");
        assertThat(JsonPath.<List<String>>read(failedTask,
                "$[?(@.kind == 'delivery-failed' && @.placerOrderNumber == 'PON-1002')].detail")).containsExactly(
                "not delivered after " + Topics.DELIVERY_ATTEMPTS + " attempt(s): webhook unreachable: connection refused");
    }

    @Test
    @Order(6)
    void aResultIsDeliveredOnceWhenTheReceiverComesBackBeforeTheLastAttempt() throws Exception {
        byte[] result = sample("oru-r01.hl7");

        var ack = MllpPeer.send(resultsPort, result);
        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AA");
        assertThat(ack.field("MSA", 2)).isEqualTo("MSG-ORU-0001");

        var raw = awaitRecord(Topics.RAW_HL7V2, "MSG-ORU-0001");
        String messageId = header(raw, RawHeaders.MESSAGE_ID);
        awaitAudit(messageId, a -> a.contains("delivery.attempted"));
        receiver.start();

        String delivery = Eventually.await("verified delivery", WAIT, () -> receiver.verified().stream()
                .filter(body -> body.contains("\"PON-1001\"")).findFirst());
        assertThat(JsonPath.<String>read(delivery, "$.status")).isEqualTo("FINAL");
        assertThat(JsonPath.<Double>read(delivery, "$.observations[0].value")).isEqualTo(182.0);
        assertThat(JsonPath.<String>read(delivery, "$.observations[0].unit")).isEqualTo("mg/dL");
        assertThat(receiver.rejected()).isEmpty();

        // The failed attempts are in the log already: wait for the successful one, which trails the delivery.
        String succeeded = "$[?(@.action == 'delivery.attempted' && @.outcome == 'success')].detail";
        String entries = awaitAuditEntries(messageId, all -> !JsonPath.<List<String>>read(all, succeeded).isEmpty());
        assertThat(JsonPath.<List<String>>read(entries, succeeded)).hasSize(1);
        assertThat(JsonPath.<List<String>>read(entries, "$[*].action")).doesNotContain("delivery.dead-lettered");

        // The at-most-once guard, proven by making its case happen: the same result event arrives again.
        var event = Eventually.await("the released result", WAIT, () -> KafkaTopicReader.readAll(bootstrap,
                Topics.RESULTS_RELEASED).stream().filter(r -> messageId.equals(((GenericRecord) avro.decode(r.value())
                .get("source")).get("rawMessageId").toString())).findFirst());
        String eventId = avro.decode(event.value()).get("eventId").toString();
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // A redelivery as Kafka would make it: the same key, value and header contract.
            producer.send(new ProducerRecord<>(Topics.RESULTS_RELEASED, null, event.key(), event.value(),
                    event.headers())).get();
        }
        Path deliveryLog = system.service("delivery-service").log();
        Eventually.await("the redelivered event recognised", WAIT, () -> {
            try {
                return Files.readString(deliveryLog).contains("event=already-delivered eventId=" + eventId)
                        ? Optional.of(true) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(receiver.verified()).filteredOn(body -> body.contains("\"PON-1001\"")).hasSize(1);

        // The order's life ends delivered: delivery's outcome, applied by workflow, told on labops.workflow.orders.
        var delivered = Eventually.await("PON-1001 delivered", WAIT, () -> KafkaTopicReader.readAll(bootstrap,
                Topics.WORKFLOW_ORDERS).stream().map(r -> avro.decode(r.value()))
                .filter(e -> TENANT.equals(e.get("tenantId").toString())
                        && "PON-1001".equals(e.get("orderNumber").toString())
                        && "DELIVERED".equals(e.get("status").toString()))
                .findFirst());
        assertThat(delivered.get("cause").toString()).isEqualTo("DELIVERY_OUTCOME");
        assertThat(delivered.get("previousStatus").toString()).isEqualTo("RELEASED");
    }

    @Test
    @Order(7)
    void theAuditChainIsIntact() {
        assertThat(Api.ok(audit.get("/api/tenants/" + TENANT + "/audit/verify"))).contains("\"intact\":true");
    }

    @Test
    @Order(8)
    void noPatientDetailsInAnyServiceLog() throws IOException {
        for (ServiceProcess service : system.services()) {
            String log = Files.readString(service.log());
            assertThat(log).as(service.module() + " log").isNotBlank();
            for (String phi : PHI) {
                assertThat(log).as(service.module() + " log must not contain patient details").doesNotContain(phi);
            }
        }
    }

    /** The raw-format record whose sender control id (MSH-10) is {@code controlId}. */
    private ConsumerRecord<byte[], byte[]> awaitRecord(String topic, String controlId) {
        return Eventually.await(controlId + " on " + topic, WAIT, () -> KafkaTopicReader.readAll(bootstrap, topic).stream()
                .filter(r -> header(r, RawHeaders.IDEMPOTENCY_KEY).endsWith("|" + controlId)).findFirst());
    }

    private List<GenericRecord> awaitEvents(String topic, String messageId, int count) {
        return Eventually.await(count + " events on " + topic, WAIT, () -> {
            var events = KafkaTopicReader.readAll(bootstrap, topic).stream()
                    .map(r -> avro.decode(r.value()))
                    .filter(e -> messageId.equals(((GenericRecord) e.get("source")).get("rawMessageId").toString()))
                    .toList();
            return events.size() >= count ? Optional.of(events) : Optional.empty();
        });
    }

    private List<String> awaitAudit(String messageId, java.util.function.Predicate<List<String>> complete) {
        return JsonPath.read(awaitAuditEntries(messageId, entries -> complete.test(JsonPath.read(entries,
                "$[*].action"))), "$[*].action");
    }

    /** The message's audit entries (JSON) once {@code complete} holds for them: the log trails the services. */
    private String awaitAuditEntries(String messageId, java.util.function.Predicate<String> complete) {
        return Eventually.await("audit entries for " + messageId, WAIT, () -> {
            String entries = Api.ok(audit.get("/api/tenants/" + TENANT + "/audit?messageId=" + messageId));
            return complete.test(entries) ? Optional.of(entries) : Optional.empty();
        });
    }

    /** A sample from the repository's samples/ folder, with text replacements, as bytes. */
    static byte[] sample(String name, String... replacements) {
        String text;
        try {
            text = Files.readString(Path.of("..", "samples", name), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < replacements.length; i += 2) {
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
