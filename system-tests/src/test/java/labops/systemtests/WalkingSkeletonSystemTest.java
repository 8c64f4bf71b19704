package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import labops.testsupport.PostgresServer;
import labops.testsupport.Ports;
import labops.testsupport.ServiceProbe;
import labops.testsupport.ServiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path over running services (each its own JVM, from its built jar), a real KRaft broker, the
 * real registry and PostgreSQL: an HL7 order from a hospital socket to staff tasks and audit entries, and a
 * lab result back to the hospital's signed webhook, including retries and the delivery DLT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonSystemTest {

    private static final String TENANT = "system-test-hospital";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The synthetic patient in the samples: none of this may reach a log. */
    private static final List<String> PHI = List.of("TESTPATIENT", "ALICE", "19470312", "Sample Street", "555-0100");

    private final Path logs = Path.of("target", "system-test-logs");
    private final List<ServiceProcess> services = new ArrayList<>();
    private final int ordersPort = Ports.free();
    private final int resultsPort = Ports.free();
    private SignatureCheckingReceiver receiver;
    private String bootstrap;
    private ConfluentAvroReader avro;
    private int workflowPort;
    private int auditPort;

    @BeforeAll
    void startTheSystem() throws IOException {
        Files.createDirectories(logs);
        try (var old = Files.list(logs)) {
            for (Path log : old.toList()) {
                Files.delete(log);
            }
        }
        bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        var registry = LabOpsInfrastructure.registry();
        avro = new ConfluentAvroReader(registry.confluentUrl());
        String jdbcUrl = LabOpsInfrastructure.postgres().jdbcUrl();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        receiver = new SignatureCheckingReceiver(Ports.free(), secret);
        receiver.start();

        Map<String, String> common = Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "LABOPS_SCHEMA_REGISTRY_URL", registry.apicurioUrl(),
                "SPRING_DATASOURCE_URL", jdbcUrl,
                "SPRING_DATASOURCE_USERNAME", PostgresServer.USER,
                "SPRING_DATASOURCE_PASSWORD", "");
        int tenantPort = Ports.free();
        String tenantUrl = "http://127.0.0.1:" + tenantPort;
        start("tenant-service", tenantPort, common, Map.of(
                "LABOPS_DEMO_ENABLED", "true",
                "LABOPS_DEMO_TENANT_ID", TENANT,
                "LABOPS_DEMO_ORDERS_PORT", Integer.toString(ordersPort),
                "LABOPS_DEMO_RESULTS_PORT", Integer.toString(resultsPort),
                "LABOPS_DEMO_WEBHOOK_URL", receiver.url(),
                "LABOPS_DEMO_WEBHOOK_SECRET", secret));
        start("ingress-service", Ports.free(), common, Map.of(
                "LABOPS_INGRESS_TENANT_SERVICE_URL", tenantUrl,
                "LABOPS_INGRESS_ENDPOINT_REFRESH", "1s"));
        start("normalizer-service", Ports.free(), common, Map.of());
        workflowPort = Ports.free();
        start("workflow-service", workflowPort, common, Map.of());
        auditPort = Ports.free();
        start("audit-service", auditPort, common, Map.of());
        start("delivery-service", Ports.free(), common, Map.of(
                "LABOPS_DELIVERY_TENANT_SERVICE_URL", tenantUrl,
                "LABOPS_DELIVERY_DESTINATION_CACHE", "1s",
                "LABOPS_DELIVERY_RETRY_FIRST_DELAY", "2s",
                "LABOPS_DELIVERY_RETRY_MULTIPLIER", "2.0"));
        ServiceProcess.awaitHealthy(services, Duration.ofMinutes(4));
        for (int port : new int[] {ordersPort, resultsPort}) {
            Eventually.await("MLLP listener on " + port, WAIT, () -> Ports.isListening(port) ? Optional.of(port) : Optional.empty());
        }
    }

    @AfterAll
    void stopTheSystem() {
        services.parallelStream().forEach(ServiceProcess::close);
        receiver.stop();
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
            String body = ServiceProbe.get(workflowPort, "/api/tenants/" + TENANT + "/tasks").body();
            List<String> placers = JsonPath.read(body, "$[*].placerOrderNumber");
            return placers.containsAll(List.of("PON-1001", "PON-1002")) ? Optional.of(body) : Optional.empty();
        });
        assertThat(JsonPath.<List<String>>read(tasks, "$[*].kind")).containsOnly("review-new-order").hasSize(2);
        assertThat(ServiceProbe.get(workflowPort, "/tenants/" + TENANT + "/tasks").body()).contains("PON-1001", "PON-1002");

        List<String> actions = awaitAudit(messageId, a -> a.stream().filter("task.created"::equals).count() == 2);
        assertThat(actions).contains("raw.received")
                .filteredOn("event.normalized"::equals).hasSize(3);
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
            var reasons = records.stream().map(r -> header(r, RawHeaders.FAILURE_REASON)).toList();
            return reasons.stream().anyMatch(r -> r.contains("not an HL7 v2 message"))
                    && reasons.stream().anyMatch(r -> r.contains("MSH-9")) ? Optional.of(records) : Optional.empty();
        });
        assertThat(kept).anySatisfy(r -> assertThat(r.value()).isEqualTo(noType));

        Eventually.await("dead-lettering audited", WAIT, () -> {
            String body = ServiceProbe.get(auditPort, "/api/audit?tenant=" + TENANT).body();
            List<String> details = JsonPath.read(body, "$[?(@.action == 'raw.dead-lettered')].detail");
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
        assertThat(header(dead, RawHeaders.FAILURE_STAGE)).isEqualTo("normalizer");
        assertThat(header(dead, RawHeaders.FAILURE_REASON)).isEqualTo("ORC-1 order control ZZ is not supported (order group 1)");
        assertThat(header(dead, RawHeaders.TENANT)).isEqualTo(TENANT);
        String messageId = header(dead, RawHeaders.MESSAGE_ID);
        assertThat(messageId).isNotBlank();

        List<String> actions = awaitAudit(messageId, a -> a.contains("raw.dead-lettered"));
        assertThat(actions).contains("raw.received").doesNotContain("event.normalized", "task.created");
    }

    @Test
    @Order(4)
    void aResultThatCannotBeDeliveredIsRetriedAndEndsInTheDeliveryDlt() throws Exception {
        receiver.stop();
        byte[] result = sample("oru-r01.hl7", "PON-1001", "PON-1002", "MSG-ORU-0001", "MSG-ORU-0002");

        var ack = MllpPeer.send(resultsPort, result);
        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AA");

        var dead = Eventually.await("result on the delivery DLT", Duration.ofSeconds(90), () ->
                KafkaTopicReader.readAll(bootstrap, Topics.deliveryDeadLetter()).stream()
                        .map(r -> avro.decode(r.value()))
                        .filter(r -> "PON-1002".equals(((GenericRecord) r.get("placerOrderNumber")).get("value").toString()))
                        .findFirst());
        String messageId = ((GenericRecord) dead.get("source")).get("rawMessageId").toString();
        var audit = ServiceProbe.get(auditPort, "/api/audit?messageId=" + messageId).body();
        List<String> failures = JsonPath.read(audit, "$[?(@.action == 'delivery.attempted' && @.outcome == 'failure')].detail");
        assertThat(failures).hasSize(Topics.DELIVERY_ATTEMPTS);
        awaitAudit(messageId, a -> a.contains("delivery.dead-lettered"));
    }

    @Test
    @Order(5)
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

        List<String> actions = awaitAudit(messageId, a -> a.contains("delivery.attempted"));
        String audit = ServiceProbe.get(auditPort, "/api/audit?messageId=" + messageId).body();
        assertThat(JsonPath.<List<String>>read(audit, "$[?(@.action == 'delivery.attempted' && @.outcome == 'success')].detail"))
                .hasSize(1);
        assertThat(actions).doesNotContain("delivery.dead-lettered");
        // Later attempts must not deliver again: wait out the rest of the retry schedule.
        Thread.sleep(10_000);
        assertThat(receiver.verified()).filteredOn(body -> body.contains("\"PON-1001\"")).hasSize(1);
    }

    @Test
    @Order(6)
    void theAuditChainIsIntact() {
        assertThat(ServiceProbe.get(auditPort, "/api/audit/verify").body()).contains("\"intact\":true");
    }

    @Test
    @Order(7)
    void noPatientDetailsInAnyServiceLog() throws IOException {
        for (ServiceProcess service : services) {
            String log = Files.readString(service.log());
            assertThat(log).as(service.module() + " log").isNotBlank();
            for (String phi : PHI) {
                assertThat(log).as(service.module() + " log must not contain patient details").doesNotContain(phi);
            }
        }
    }

    @Test
    @Order(8)
    void withTheBrokerStoppedTheListenerNeverAnswersAa() throws Exception {
        LabOpsInfrastructure.kafka().close();
        byte[] order = sample("orm-o01-v23.hl7", "MSG-ORM-0001", "MSG-ORM-BROKER-DOWN");

        var ack = MllpPeer.send(ordersPort, order);

        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AR");
        assertThat(ack.field("MSA", 2)).isEqualTo("MSG-ORM-BROKER-DOWN");
        assertThat(ack.text()).contains("not stored");
    }

    private void start(String module, int port, Map<String, String> common, Map<String, String> own) {
        var environment = new HashMap<>(common);
        environment.putAll(own);
        services.add(ServiceProcess.start(module, port, environment, logs.resolve(module + ".log")));
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
        return Eventually.await("audit entries for " + messageId, WAIT, () -> {
            List<String> actions = JsonPath.read(ServiceProbe.get(auditPort, "/api/audit?messageId=" + messageId).body(),
                    "$[*].action");
            return complete.test(actions) ? Optional.of(actions) : Optional.empty();
        });
    }

    /** A sample from the repository's samples/ folder, with text replacements, as bytes. */
    private static byte[] sample(String name, String... replacements) throws IOException {
        String text = Files.readString(Path.of("..", "samples", name), StandardCharsets.ISO_8859_1);
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
