package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import labops.testsupport.Processes;
import labops.testsupport.ServiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The consumers' failure policy under the faults a deployment sees, with load running: PostgreSQL stopped for 30 s
 * (consumers wait and resume, nothing is dead-lettered by the outage), and second workflow, audit and delivery
 * instances killed with SIGKILL in the middle of their batches (nothing lost; no order record, audit entry or
 * delivery twice).
 */
@Order(7)
class ConsumerFaultsSystemTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    private static final List<String> DEAD_LETTER_TOPICS = List.of(Topics.deadLetterOf(Topics.RAW_HL7V2),
            Topics.consumerDeadLetter("workflow"), Topics.consumerDeadLetter("audit"));

    @Test
    void aDatabaseOutageUnderLoadIsWaitedOutAndDeadLettersNothing() throws Exception {
        var system = LabOpsSystem.get();
        String prefix = "PGDOWN-" + RUN + "-";
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        var sending = new AtomicBoolean(true);
        var sender = new Thread(() -> {
            for (int i = 0; sending.get(); i++) {
                String id = prefix + i;
                try {
                    var ack = MllpPeer.send(system.ordersPort(), order(id));
                    if ("AA".equals(ack.field("MSA", 1))) {
                        acknowledged.add(id);
                    }
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // Not acknowledged: not counted, as a sender would resend it.
                }
            }
        }, "steady-sender");
        sender.start();
        Processes.pause(Duration.ofSeconds(5));

        LabOpsInfrastructure.postgres().outage(Duration.ofSeconds(30));
        Processes.pause(Duration.ofSeconds(10));
        sending.set(false);
        sender.join();
        System.out.printf("PostgreSQL down 30 s under load: %d orders acknowledged%n", acknowledged.size());
        assertThat(acknowledged).as("ingress's HL7 path needs no database").hasSizeGreaterThan(200);

        var avro = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        var patients = Eventually.await("every acknowledged order normalized once the database is back",
                Duration.ofSeconds(120), () -> {
                    var byMessage = patientEvents(avro, prefix);
                    return byMessage.keySet().containsAll(acknowledged) ? Optional.of(byMessage) : Optional.empty();
                });
        // Other tests' backlogs may still be ahead of these orders in workflow's partitions: wait for them, then settle.
        Eventually.await("every order recorded", Duration.ofSeconds(180), () ->
                orderRecords(prefix) >= 2L * acknowledged.size() ? Optional.of(true) : Optional.empty());
        Processes.pause(Duration.ofSeconds(5));
        patients = patientEvents(avro, prefix);

        assertThat(patients.values()).as("each message normalized exactly once").allMatch(count -> count == 1);
        assertThat(orderRecords(prefix)).as("two orders per message, each recorded once")
                .isEqualTo(2L * patients.size());
        assertThat(deadLettered(prefix)).as("the outage dead-lettered nothing").isEmpty();
    }

    @Test
    void workflowAuditAndDeliveryInstancesKilledMidBatchLoseAndRepeatNothing() throws Exception {
        var system = LabOpsSystem.get();
        String prefix = "KILLED-" + RUN + "-";
        Instant started = Instant.now();
        // Its death is noticed in seconds, not the default 45.
        var quickToNotice = Map.of("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000",
                "SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "1000");
        var seconds = new ArrayList<ServiceProcess>();
        for (String module : List.of("workflow-service", "audit-service", "delivery-service")) {
            seconds.add(system.startSecond(module, quickToNotice));
        }
        Processes.pause(Duration.ofSeconds(8));

        int messages = 1_500;
        int results = 300;
        for (int i = 0; i < messages; i++) {
            var ack = MllpPeer.send(system.ordersPort(), order(prefix + i));
            assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AA");
            if (i < results) {
                var resultAck = MllpPeer.send(system.resultsPort(), result(prefix + "R" + i));
                assertThat(resultAck.field("MSA", 1)).as(resultAck.text()).isEqualTo("AA");
            }
            if (i == messages / 3) {
                seconds.forEach(ServiceProcess::kill);
            }
        }

        Eventually.await("every order recorded", Duration.ofSeconds(180), () ->
                orderRecords(prefix) >= 2L * messages ? Optional.of(true) : Optional.empty());
        var delivered = Eventually.await("every result delivered", Duration.ofSeconds(180), () -> {
            var byOrder = deliveries(system, prefix + "R");
            return byOrder.size() >= results ? Optional.of(byOrder) : Optional.empty();
        });
        // Other tests' backlogs may still be ahead of these in audit's partitions: wait for them, then settle.
        Eventually.await("every event audited", Duration.ofSeconds(180), () ->
                auditEntries(prefix, "raw.normalized") >= messages ? Optional.of(true) : Optional.empty());
        Processes.pause(Duration.ofSeconds(5));
        delivered = deliveries(system, prefix + "R");
        System.out.printf("delivery instance killed: %d results delivered in %d POSTs%n", delivered.size(),
                system.receiver().deliveries().stream().filter(d -> d.body().contains("\"" + prefix + "R")).count());

        assertThat(orderRecords(prefix)).isEqualTo(2L * messages);
        assertThat(repeatedAuditEntries(started)).as("no audit entry twice").isEmpty();
        assertThat(auditEntries(prefix, "raw.received")).as("every order message's receipt audited once")
                .isEqualTo(messages);
        assertThat(auditEntries(prefix, "raw.normalized")).as("its normalization (a patient, two orders) audited once")
                .isEqualTo(messages);
        assertThat(delivered.values()).as("each result delivered once (one webhook id each)")
                .allMatch(count -> count == 1);
        assertThat(deadLettered(prefix)).isEmpty();
    }

    /** The sample order under control id {@code id}, with its two placer numbers made its own. */
    static byte[] order(String id) {
        return WalkingSkeletonSystemTest.sample("orm-o01-v23.hl7", "MSG-ORM-0001", id, "PON-1001", id + "A",
                "PON-1002", id + "B");
    }

    /** The sample result under control id {@code id}, for order {@code id} (its placer number). */
    private static byte[] result(String id) {
        return WalkingSkeletonSystemTest.sample("oru-r01.hl7", "MSG-ORU-0001", id, "PON-1001", id);
    }

    /**
     * The distinct deliveries of this run's results, counted by placer number. An instance killed after its POST and
     * before it recorded the attempt posts again under the same webhook id (HTTP cannot do better than at least once;
     * the id is the receiver's way to drop the copy), so deliveries are counted by webhook id.
     */
    private static Map<String, Long> deliveries(LabOpsSystem system, String prefix) {
        var placer = java.util.regex.Pattern.compile("\"(" + java.util.regex.Pattern.quote(prefix) + "\\d+)\"");
        var ids = new HashMap<String, Set<String>>();
        for (var delivery : system.receiver().deliveries()) {
            var found = placer.matcher(delivery.body());
            if (found.find()) {
                ids.computeIfAbsent(found.group(1), order -> new HashSet<>()).add(delivery.webhookId());
            }
        }
        return ids.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    }

    /** Canonical patient events of this run's messages, counted by MSH-10. */
    static Map<String, Long> patientEvents(ConfluentAvroReader avro, String prefix) {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.CANONICAL_PATIENTS)
                .stream().filter(r -> key(r).startsWith(LabOpsSystem.TENANT + "|"))
                .map(r -> String.valueOf(((GenericRecord) avro.decode(r.value()).get("source"))
                        .get("originalMessageId")))
                .filter(id -> id.startsWith(prefix))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static long orderRecords(String prefix) {
        return count("select count(*) from workflow.order_record where order_number like ?", prefix + "%");
    }

    /** Audit entries of {@code action} for this run's raw messages (found through the orders they became). */
    private static long auditEntries(String prefix, String action) {
        return count("""
                select count(*) from audit.audit_entry where action = '%s' and message_id in (
                    select raw_message_id from workflow.order_record where order_number like ?)""".formatted(action),
                prefix + "%");
    }

    /**
     * Entries recorded since {@code since} that repeat a decision: same action, message, event, outcome and detail.
     * (Other tests' entries are left out: one redelivers a result event on purpose; retried delivery attempts are
     * decisions of their own, told apart by their attempt number.)
     */
    private static List<String> repeatedAuditEntries(Instant since) throws SQLException {
        try (var connection = LabOpsInfrastructure.postgres().dataSource().getConnection();
             var statement = connection.prepareStatement("""
                     select action, message_id, event_id, string_agg(seq || ' ' || outcome || ' ' || occurred_at
                         || ' ' || coalesce(detail, ''), ' | ')
                     from audit.audit_entry where event_id is not null and recorded_at >= ?
                     group by action, message_id, event_id, outcome, detail having count(*) > 1""")) {
            statement.setTimestamp(1, java.sql.Timestamp.from(since));
            try (var rows = statement.executeQuery()) {
                var repeated = new ArrayList<String>();
                while (rows.next()) {
                    repeated.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + ": "
                            + rows.getString(4));
                }
                return repeated;
            }
        }
    }

    private static long count(String sql, String parameter) {
        try (var connection = LabOpsInfrastructure.postgres().dataSource().getConnection();
             var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records of this run on any dead-letter topic of the message path (their bytes name the control id). */
    private static List<String> deadLettered(String prefix) {
        var found = new ArrayList<String>();
        for (String topic : DEAD_LETTER_TOPICS) {
            for (ConsumerRecord<byte[], byte[]> record : KafkaTopicReader.readAll(
                    LabOpsInfrastructure.kafka().bootstrapServers(), topic)) {
                if (record.value() != null && new String(record.value(), StandardCharsets.ISO_8859_1).contains(prefix)) {
                    found.add(topic + "@" + record.offset() + " " + Instant.ofEpochMilli(record.timestamp()));
                }
            }
        }
        return found;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
