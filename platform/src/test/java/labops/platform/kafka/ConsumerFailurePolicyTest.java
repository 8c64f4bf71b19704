package labops.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import labops.platform.security.LabOpsSecurityConfiguration;
import labops.platform.security.ServiceClientConfiguration;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaBroker;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one consumer failure policy against a real broker: a record that fails for its content costs that record (its
 * group's dead-letter topic, with the header format), one whose bytes cannot be decoded too, and the records around
 * them are processed once; an outage, whether the listener's or the decoder's, is waited out and dead-letters nothing.
 */
@SpringBootTest(classes = ConsumerFailurePolicyTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "spring.kafka.consumer.group-id=" + ConsumerFailurePolicyTest.GROUP,
                "spring.kafka.consumer.auto-offset-reset=earliest",
                "spring.kafka.consumer.value-deserializer=labops.platform.kafka.ConsumerFailurePolicyTest$FlakyDeserializer",
                "management.endpoint.health.validate-group-membership=false",
                "labops.consumer-failure.retry-interval=100ms",
                "labops.consumer-failure.outage-initial-interval=200ms",
                "labops.consumer-failure.outage-max-interval=500ms"})
class ConsumerFailurePolicyTest {

    static final String GROUP = "policy-test";
    static final String TOPIC = "labops.policy-test";
    /** While true, the "database" and the "registry" are down. */
    static volatile boolean down;
    /** While true, the "registry" alone is down. */
    static volatile boolean registryDown;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> kafka().bootstrapServers());
        registry.add("labops.schema-registry.url", () -> "http://127.0.0.1:1/apis/registry/v2");
    }

    private static KafkaBroker kafka() {
        return TopicsCreated.KAFKA;
    }

    /** The test's topic and its group's dead-letter topic, created once. */
    private static final class TopicsCreated {

        static final KafkaBroker KAFKA = LabOpsInfrastructure.kafka();

        static {
            KafkaBroker.createTopics(KAFKA.bootstrapServers(), List.of(
                    new TopicSpec(TOPIC, 2, Duration.ofDays(1), TopicSpec.CleanupPolicy.DELETE, "test"),
                    new TopicSpec(Topics.consumerDeadLetter(GROUP), 1, Duration.ofDays(1),
                            TopicSpec.CleanupPolicy.DELETE, "test")));
        }
    }

    @Autowired
    Work work;

    @AfterEach
    void up() {
        down = false;
        registryDown = false;
    }

    @Test
    void aRegistryOutageAloneIsWaitedOutNotTakenForUndecodableRecords() throws Exception {
        registryDown = true;
        send("g-3", "needs-registry-3", "h-3");

        Thread.sleep(3_000); // the record before it is done; the one that needs the registry waits
        assertThat(work.done).contains("g-3").doesNotContain("needs-registry-3", "h-3");
        registryDown = false;

        Eventually.await("processed once the registry is back", Duration.ofSeconds(30),
                () -> work.done.containsAll(List.of("needs-registry-3", "h-3")) ? Optional.of(true) : Optional.empty());
        assertThat(deadLetters("-3")).isEmpty();
    }

    @Test
    void aPoisonRecordAndAnUndecodableOneCostThemselvesAloneAndTheOthersAreProcessedOnce() throws Exception {
        send("a-1", "b-1", "poison-1", "c-1", "undecodable-1", "d-1");

        Eventually.await("the good records", Duration.ofSeconds(30),
                () -> work.done.containsAll(List.of("a-1", "b-1", "c-1", "d-1")) ? Optional.of(true) : Optional.empty());
        var dead = Eventually.await("two dead letters", Duration.ofSeconds(30), () -> {
            var found = deadLetters("-1");
            return found.size() >= 2 ? Optional.of(found) : Optional.empty();
        });

        assertThat(work.done).filteredOn(v -> v.endsWith("-1")).containsExactlyInAnyOrder("a-1", "b-1", "c-1", "d-1");
        assertThat(dead).hasSize(2);
        var poison = dead.stream().filter(r -> value(r).equals("poison-1")).findFirst().orElseThrow();
        assertThat(header(poison, DeadLetterHeaders.CODE)).isEqualTo("processing-failed");
        assertThat(header(poison, DeadLetterHeaders.REASON)).isEqualTo("processing failed: IllegalArgumentException");
        assertThat(header(poison, DeadLetterHeaders.STAGE)).isEqualTo(GROUP);
        assertThat(header(poison, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TOPIC);
        assertThat(header(poison, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(header(poison, DeadLetterHeaders.ORIGINAL_OFFSET)).isNotBlank();
        assertThat(header(poison, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(Instant.parse(header(poison, DeadLetterHeaders.FIRST_FAILED_AT))).isBefore(Instant.now());
        assertThat(poison.headers().lastHeader("kafka_dlt-exception-message")).as("no exception text").isNull();
        assertThat(poison.headers().lastHeader("kafka_dlt-exception-stacktrace")).as("no stack trace").isNull();

        var undecodable = dead.stream().filter(r -> value(r).equals("undecodable-1")).findFirst().orElseThrow();
        assertThat(header(undecodable, DeadLetterHeaders.CODE)).isEqualTo("undecodable");
        assertThat(header(undecodable, DeadLetterHeaders.REASON))
                .isEqualTo("the record's value could not be decoded as this topic's format");
        assertThat(header(undecodable, DeadLetterHeaders.ATTEMPTS)).as("never retried").isEqualTo("1");
    }

    @Test
    void anOutageIsWaitedOutAndDeadLettersNothing() throws Exception {
        down = true;
        send("e-2", "needs-registry-2", "f-2");

        Thread.sleep(3_000); // many attempts, each an outage
        assertThat(work.done).noneMatch(v -> v.endsWith("-2"));
        down = false;

        Eventually.await("processed once the outage is over", Duration.ofSeconds(30),
                () -> work.done.containsAll(List.of("e-2", "needs-registry-2", "f-2")) ? Optional.of(true)
                        : Optional.empty());
        assertThat(work.done).filteredOn(v -> v.endsWith("-2"))
                .containsExactlyInAnyOrder("e-2", "needs-registry-2", "f-2");
        assertThat(deadLetters("-2")).isEmpty();
    }

    private static void send(String... values) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka().bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            // One partition, so the records keep their order; sent together, so they are read as one batch (the batch
            // an outage must not keep retrying in memory with a record decoded while the registry was down).
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "key", value));
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String suffix) {
        return KafkaTopicReader.readAll(kafka().bootstrapServers(), Topics.consumerDeadLetter(GROUP)).stream()
                .filter(r -> value(r).endsWith(suffix)).toList();
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Strings, except "undecodable-*" (never decodes) and "needs-registry-*" (decodes only while the registry is up). */
    public static class FlakyDeserializer implements Deserializer<String> {

        @Override
        public String deserialize(String topic, byte[] data) {
            String value = new String(data, StandardCharsets.UTF_8);
            if (value.startsWith("undecodable")) {
                throw new SerializationException("not this topic's format");
            }
            if (value.startsWith("needs-registry") && (down || registryDown)) {
                throw new SerializationException("registry unreachable", new ConnectException("connection refused"));
            }
            return value;
        }
    }

    /** A batch listener as every Lab Ops consumer writes one; what it did "commits" only when the work returns. */
    @Component
    static class Work {

        final List<String> done = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = TOPIC, batch = "true")
        void onBatch(List<ConsumerRecord<String, String>> records) {
            BatchFailures.apply(records, batch -> {
                var applied = new ArrayList<String>();
                for (var record : batch) {
                    if (record.value().startsWith("poison")) {
                        throw new IllegalArgumentException("cannot process " + record.value());
                    }
                    if (down) {
                        throw new DataAccessResourceFailureException("database unreachable");
                    }
                    applied.add(record.value());
                }
                done.addAll(applied);
            });
        }
    }

    @Configuration
    @EnableAutoConfiguration(exclude = {LabOpsSecurityConfiguration.class, ServiceClientConfiguration.class})
    @Import(Work.class)
    static class App {
    }
}
