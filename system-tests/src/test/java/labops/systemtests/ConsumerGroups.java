package labops.systemtests;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The consumer groups of the running system, and what each has left to consume. */
final class ConsumerGroups {

    /** Every group whose records must all be consumed once senders stop. */
    static final List<String> ALL = List.of("normalizer", "workflow", "audit", "delivery",
            "tenant-sandbox-evidence");

    private ConsumerGroups() {
    }

    /** How many records group {@code group} has not consumed, over every partition it has committed on. */
    static long unconsumed(String group) {
        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var ends = admin.listOffsets(committed.keySet().stream().collect(java.util.stream.Collectors.toMap(
                    p -> p, p -> OffsetSpec.latest()))).all().get();
            long left = 0;
            for (var entry : committed.entrySet()) {
                TopicPartition partition = entry.getKey();
                long from = entry.getValue().offset();
                long end = ends.get(partition).offset();
                if (end - from > 1) {
                    left += end - from;
                } else if (end - from == 1) {
                    // The last offset may be a transaction's commit marker, which is no record: look.
                    consumer.assign(List.of(partition));
                    consumer.seek(partition, from);
                    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                        left += consumer.poll(Duration.ofMillis(100)).count();
                    }
                }
            }
            return left;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("lag of " + group, e.getCause());
        }
    }

}
