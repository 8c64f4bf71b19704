package labops.platform.tenant;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every tenant's configuration, read whole from the compacted {@code labops.tenant.config} topic into memory and
 * kept current. Each instance reads every partition itself from the beginning, without a consumer group, so a
 * change tenant-service publishes reaches every instance of every service within one poll (well under 5 s).
 * Until the topic has been read up to where it ended at start-up, {@link #isLoaded()} is false and callers fail closed.
 */
public class TenantDirectory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TenantDirectory.class);
    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final Map<String, TenantConfiguration> tenants = new ConcurrentHashMap<>();
    private final List<Consumer<TenantConfiguration>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Listener listener = new Listener();
    private final DefaultKafkaConsumerFactory<String, String> consumers;
    private final List<TopicPartition> partitions;
    private final KafkaMessageListenerContainer<String, String> container;

    public TenantDirectory(KafkaProperties kafka, Duration pollTimeout) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        // No group: every instance reads every partition, and nothing is committed.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var factory = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new StringDeserializer());
        int partitions = Topics.ALL.stream().filter(t -> t.name().equals(Topics.TENANT_CONFIG)).findFirst()
                .orElseThrow().partitions();
        TopicPartitionOffset[] assignment = new TopicPartitionOffset[partitions];
        for (int p = 0; p < partitions; p++) {
            assignment[p] = new TopicPartitionOffset(Topics.TENANT_CONFIG, p, TopicPartitionOffset.SeekPosition.BEGINNING);
        }
        var properties = new ContainerProperties(assignment);
        properties.setGroupId(null);
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setPollTimeout(pollTimeout.toMillis());
        properties.setMessageListener(listener);
        this.consumers = factory;
        this.partitions = Arrays.stream(assignment).map(TopicPartitionOffset::getTopicPartition).toList();
        this.container = new KafkaMessageListenerContainer<>(factory, properties);
        this.container.setBeanName("tenant-directory");
    }

    public Optional<TenantConfiguration> find(String tenantId) {
        return Optional.ofNullable(tenants.get(tenantId));
    }

    public Collection<TenantConfiguration> all() {
        return List.copyOf(tenants.values());
    }

    /** True once the topic has been read up to its end as of start-up. */
    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /** Blocks until loaded; false on timeout. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called with each tenant's new configuration, on the directory's consumer thread; keep it short. */
    public void onChange(Consumer<TenantConfiguration> listener) {
        listeners.add(listener);
    }

    /** True when an API client's tokens may be honoured now: its tenant is active and the credential valid. */
    public boolean isClientActive(String tenantId, String environment, String clientId) {
        return find(tenantId).filter(t -> !t.suspended())
                .flatMap(t -> t.environment(environment))
                .map(e -> e.apiClients().contains(clientId))
                .orElse(false);
    }

    @Override
    public void start() {
        try (var consumer = consumers.createConsumer()) {
            listener.expect(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    /** Applies records and counts down {@link #loaded} once every partition reached its end offset of start-up. */
    private final class Listener implements MessageListener<String, String> {

        private final Map<TopicPartition, Long> remaining = new ConcurrentHashMap<>();

        void expect(Map<TopicPartition, Long> endOffsets) {
            endOffsets.forEach((partition, end) -> {
                if (end > 0) {
                    remaining.put(partition, end);
                }
            });
            if (remaining.isEmpty()) {
                loaded.countDown();
            }
        }

        @Override
        public void onMessage(ConsumerRecord<String, String> record) {
            if (record.value() == null) {
                tenants.remove(record.key());
            } else {
                read(record).ifPresent(this::apply);
            }
            var partition = new TopicPartition(record.topic(), record.partition());
            Long end = remaining.get(partition);
            if (end != null && record.offset() + 1 >= end) {
                remaining.remove(partition);
                if (remaining.isEmpty()) {
                    loaded.countDown();
                    log.info("event=tenant-directory-loaded tenants={}", tenants.size());
                }
            }
        }

        /**
         * The snapshot, or empty when it cannot be read: the tenant keeps its last good configuration until the next
         * snapshot replaces it, and the record still counts toward loading. Failing here instead would stop every
         * service at start-up (they wait for the directory) or, after it, stall every later change for every tenant.
         */
        private Optional<TenantConfiguration> read(ConsumerRecord<String, String> record) {
            try {
                return Optional.of(JSON.readValue(record.value(), TenantConfiguration.class));
            } catch (JacksonException e) {
                log.warn("event=tenant-config-unreadable partition={} offset={} reason={}", record.partition(),
                        record.offset(), e.getClass().getSimpleName());
                return Optional.empty();
            }
        }

        private void apply(TenantConfiguration configuration) {
            tenants.put(configuration.tenantId(), configuration);
            for (var listener : listeners) {
                try {
                    listener.accept(configuration);
                } catch (RuntimeException e) {
                    log.warn("event=tenant-config-listener-failed tenant={} reason={}", configuration.tenantId(),
                            e.getClass().getSimpleName());
                }
            }
        }
    }
}
