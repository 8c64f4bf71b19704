package labops.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import labops.schemas.topic.TopicSpec;
import labops.schemas.topic.Topics;

/**
 * Renders the topic catalogue as Strimzi {@code KafkaTopic} resources ({@code deploy/k8s/topics.yaml}).
 * Run {@code ./labops render-manifests} after changing {@link Topics}; a test fails while the file is stale.
 */
public final class TopicManifests {

    static final Path FILE = Path.of("deploy", "k8s", "topics.yaml");
    static final String CLUSTER = "labops";
    static final int REPLICAS = 3;
    static final int MIN_IN_SYNC_REPLICAS = 2;

    private TopicManifests() {
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, render());
        System.out.println("wrote " + FILE.toAbsolutePath());
    }

    static String render() {
        var out = new StringBuilder("# Generated from labops.schemas.topic.Topics by ./labops render-manifests. Do not edit.\n");
        for (TopicSpec topic : Topics.ALL) {
            out.append("---\n")
                    .append("# ").append(topic.description()).append('\n')
                    .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                    .append("kind: KafkaTopic\n")
                    .append("metadata:\n")
                    .append("  name: ").append(topic.name().replace('.', '-').replace('_', '-')).append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: ").append(CLUSTER).append('\n')
                    .append("spec:\n")
                    .append("  topicName: ").append(topic.name()).append('\n')
                    .append("  partitions: ").append(topic.partitions()).append('\n')
                    .append("  replicas: ").append(REPLICAS).append('\n')
                    .append("  config:\n")
                    .append("    retention.ms: ").append(topic.retention().toMillis()).append('\n')
                    .append("    cleanup.policy: ").append(topic.cleanup().configValue()).append('\n')
                    .append("    min.insync.replicas: ").append(MIN_IN_SYNC_REPLICAS).append('\n');
        }
        return out.toString();
    }
}
