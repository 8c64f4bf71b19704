package labops.bench;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;

/** A consumer group's lag on one topic: end offsets minus committed offsets, summed over partitions. */
final class ConsumerLag implements AutoCloseable {

    private final Admin admin;

    ConsumerLag(String bootstrap) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    long of(String group, String topic) throws ExecutionException, InterruptedException {
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions();
        var request = partitions.stream().collect(Collectors.toMap(
                p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        var ends = admin.listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                IsolationLevel.READ_COMMITTED)).all().get();
        long lag = 0;
        for (var end : ends.entrySet()) {
            lag += end.getValue().offset() - committed.getOrDefault(end.getKey(), 0L);
        }
        return lag;
    }

    /** How far a group has consumed a topic: its committed offsets, summed over partitions. */
    long consumed(String group, String topic) throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
