package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.Ports;
import labops.testsupport.Processes;
import labops.testsupport.ServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under the failures a deployment sees: a second normalizer instance joins the group while a backlog
 * is being worked (the partitions are shared out again) and is then killed with SIGKILL in the middle of its
 * batches. Every raw message still becomes its events exactly once: none missing, none twice.
 */
@Order(6)
class NormalizerExactlyOnceSystemTest {

    private static final int MESSAGES = 20_000;

    @Test
    void aSecondInstanceJoiningAndThenKilledMidBatchLeavesNoDuplicateAndNoGap() throws Exception {
        var system = LabOpsSystem.get();
        String tenant = "eos-" + UUID.randomUUID().toString().substring(0, 8);
        var env = new HashMap<>(LabOpsInfrastructure.environment());
        env.put("LABOPS_SECURITY_ISSUER", system.tenantService().issuer());
        // Its death is noticed in seconds, not the default 45, so the test does not wait for the group to give up.
        env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000");
        env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "1000");
        var second = ServiceProcess.start("normalizer-service", Ports.free(), env,
                LabOpsSystem.LOGS.resolve("normalizer-service-2.log"));
        ServiceProcess.awaitHealthy(List.of(second), Duration.ofMinutes(2));

        writeBacklog(tenant);
        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        // Both instances hold raw partitions and a quarter of the backlog is done: the second one is mid-stream.
        Eventually.await("the second instance at work", Duration.ofSeconds(90), () ->
                // The group reads labops.raw.fhir too: the HL7 partitions need not come first in the line.
                logContains(second, "partitions assigned: [") && logContains(second, Topics.RAW_HL7V2 + "-")
                        && countEvents(bootstrap, tenant, Topics.CANONICAL_PATIENTS) > MESSAGES / 4
                        ? Optional.of(true) : Optional.empty());
        second.kill();
        long atKill = countEvents(bootstrap, tenant, Topics.CANONICAL_PATIENTS);
        System.out.printf("second normalizer killed with %,d of %,d messages normalized%n", atKill, MESSAGES);
        assertThat(atKill).as("killed mid-way").isLessThan(MESSAGES);

        var avro = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        var patients = Eventually.await("every message normalized", Duration.ofMinutes(3), () -> {
            var events = eventIds(bootstrap, tenant, Topics.CANONICAL_PATIENTS, avro);
            return events.size() >= MESSAGES ? Optional.of(events) : Optional.empty();
        });
        Processes.pause(Duration.ofSeconds(3));
        patients = eventIds(bootstrap, tenant, Topics.CANONICAL_PATIENTS, avro);
        var orders = eventIds(bootstrap, tenant, Topics.CANONICAL_ORDERS, avro);

        assertThat(patients).hasSize(MESSAGES).doesNotHaveDuplicates();
        assertThat(orders).hasSize(2 * MESSAGES).doesNotHaveDuplicates();
        assertThat(KafkaTopicReader.readAll(bootstrap, Topics.deadLetterOf(Topics.RAW_HL7V2)).stream()
                .filter(r -> key(r.key()).startsWith(tenant + "|"))).isEmpty();
    }

    private static void writeBacklog(String tenant) throws Exception {
        String template = new String(WalkingSkeletonSystemTest.sample("orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\r").replace('\n', '\r');
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < MESSAGES; i++) {
                String patient = "MRN-" + (i % 500);
                byte[] message = template.replace("MSG-ORM-0001", "EOS-" + i).replace("MRN-100234", patient)
                        .replace("PON-1001", "PON-E" + i + "A").replace("PON-1002", "PON-E" + i + "B")
                        .getBytes(StandardCharsets.ISO_8859_1);
                var record = new ProducerRecord<String, byte[]>(Topics.RAW_HL7V2, tenant + "|" + patient, message);
                Map.of(RawHeaders.TENANT, tenant, RawHeaders.ENVIRONMENT, "sandbox", RawHeaders.CHANNEL, "mllp",
                                RawHeaders.CONTENT_TYPE, "application/hl7-v2", RawHeaders.RECEIVED_AT,
                                Instant.now().toString(), RawHeaders.MESSAGE_ID, UUID.randomUUID().toString())
                        .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }
    }

    private static long countEvents(String bootstrap, String tenant, String topic) {
        return KafkaTopicReader.readAll(bootstrap, topic).stream().filter(r -> key(r.key()).startsWith(tenant + "|"))
                .count();
    }

    private static List<String> eventIds(String bootstrap, String tenant, String topic, ConfluentAvroReader avro) {
        return KafkaTopicReader.readAll(bootstrap, topic).stream().filter(r -> key(r.key()).startsWith(tenant + "|"))
                .map(r -> avro.decode(r.value()).get("eventId").toString()).toList();
    }

    private static boolean logContains(ServiceProcess process, String text) {
        try {
            return java.nio.file.Files.readString(process.log()).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String key(byte[] key) {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
