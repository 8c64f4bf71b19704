package labops.delivery.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.UUID;
import labops.events.LabResultEvent;
import labops.platform.kafka.AvroEventSerializer;
import labops.platform.kafka.AvroSerdes;
import labops.schemas.topic.Topics;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What came of a released result reaches {@code labops.delivery.outcomes}, read as workflow or analytics would read
 * it: a plain Avro reader and the registry's Confluent API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "labops.delivery.retry.first-delay=100ms", "labops.delivery.retry.multiplier=1.0"})
class DeliveryOutcomesTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.register(registry);
        LabOpsInfrastructure.registerIssuer(registry, "delivery");
    }

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aResultThatCannotBeDeliveredIsReportedFailedOnceItsLastAttemptFailed() throws Exception {
        String tenant = "no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8);
        LabResultEvent result = SampleEvents.labResult(tenant, "PON-UNDELIVERABLE", labops.events.Interpretation.NORMAL);

        send(result);

        GenericRecord outcome = outcome(result.getEventId());
        assertThat(outcome.get("outcome").toString()).isEqualTo("FAILED");
        assertThat(outcome.get("attempts")).isEqualTo(Topics.DELIVERY_ATTEMPTS);
        assertThat(outcome.get("reason").toString()).isEqualTo("unknown tenant");
        assertThat(outcome.get("orderNumber").toString()).isEqualTo("PON-UNDELIVERABLE");
        assertThat(outcome.get("tenantId").toString()).isEqualTo(tenant);
        assertThat(outcome.get("rawMessageId").toString()).isEqualTo(result.getSource().getRawMessageId());
    }

    @Test
    void aResultDeliveredBeforeIsReportedDeliveredAgainNotSentAgain() throws Exception {
        String tenant = "delivered-" + UUID.randomUUID().toString().substring(0, 8);
        LabResultEvent result = SampleEvents.labResult(tenant, "PON-DELIVERED", labops.events.Interpretation.NORMAL);
        UUID destination = UUID.randomUUID();
        // As a crash between the delivery and its report leaves it: the attempt stored, the outcome never sent.
        jdbc.sql("""
                        insert into delivery_attempt (id, result_event_id, tenant_id, environment, destination_id,
                                                      attempt, outcome, status_code, reason)
                        values (?, ?, ?, 'sandbox', ?, 1, 'delivered', 204, null)""")
                .params(UUID.randomUUID(), result.getEventId(), tenant, destination).update();

        send(result);

        GenericRecord outcome = outcome(result.getEventId());
        assertThat(outcome.get("outcome").toString()).isEqualTo("DELIVERED");
        assertThat(outcome.get("attempts")).isEqualTo(1);
        assertThat(outcome.get("destinationId").toString()).isEqualTo(destination.toString());
        assertThat(outcome.get("reason")).isNull();
        assertThat(jdbc.sql("select count(*) from delivery_attempt where result_event_id = ?")
                .param(result.getEventId()).query(Long.class).single()).as("no second attempt").isEqualTo(1);
    }

    private static GenericRecord outcome(UUID resultEventId) {
        var reader = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        return Eventually.await("the outcome of " + resultEventId, Duration.ofSeconds(30), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.DELIVERY_OUTCOMES)
                        .stream().map(r -> reader.decode(r.value()))
                        .filter(e -> e.get("resultEventId").toString().equals(resultEventId.toString()))
                        .findFirst());
    }

    private static void send(LabResultEvent result) throws Exception {
        var config = new HashMap<String, Object>(AvroSerdes.producerConfig(LabOpsInfrastructure.registry().apicurioUrl()));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LabOpsInfrastructure.kafka().bootstrapServers());
        var values = new AvroEventSerializer<LabResultEvent>();
        values.configure(config, false);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            producer.send(new ProducerRecord<>(Topics.RESULTS_RELEASED, result.getTenantId(), result)).get();
        }
    }
}
