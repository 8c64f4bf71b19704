package labops.platform.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaBroker;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The directory every service waits for at start-up, read from a real broker: a snapshot it cannot read costs that
 * snapshot, not the directory.
 */
class TenantDirectoryTest {

    private static final KafkaBroker KAFKA = LabOpsInfrastructure.kafka();

    @Test
    void anUnreadableSnapshotKeepsTheTenantsLastGoodOneAndTheDirectoryStillLoads() throws Exception {
        String tenant = "directory-" + UUID.randomUUID();
        String other = "directory-other-" + UUID.randomUUID();
        // The unreadable snapshot is the last record of its partition, where loading is decided.
        send(tenant, snapshot(tenant, "General Hospital"));
        send(other, snapshot(other, "Other Hospital"));
        send(tenant, "{\"tenantId\": \"" + tenant + "\", \"environments\": {not json");

        var properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(KAFKA.bootstrapServers()));
        var directory = new TenantDirectory(properties, Duration.ofMillis(200));
        directory.start();
        try {
            assertThat(directory.awaitLoaded(Duration.ofSeconds(30))).as("loaded").isTrue();
            assertThat(directory.find(tenant)).map(TenantConfiguration::name).contains("General Hospital");
            assertThat(directory.find(other)).map(TenantConfiguration::name).contains("Other Hospital");

            // A later snapshot still applies: the directory did not stop at the unreadable one.
            send(tenant, snapshot(tenant, "General Hospital, renamed"));
            Eventually.await("the later snapshot applied", Duration.ofSeconds(30),
                    () -> directory.find(tenant).filter(t -> t.name().equals("General Hospital, renamed")));
        } finally {
            directory.stop();
        }
    }

    private static String snapshot(String tenant, String name) {
        return """
                {"tenantId": "%s", "name": "%s", "suspended": false, "updatedAt": "2026-12-07T10:00:00Z",
                 "environments": []}""".formatted(tenant, name);
    }

    private static void send(String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TENANT_CONFIG, key, value)).get();
        }
    }
}
