package labops.workflow;

import java.util.HashMap;
import java.util.List;
import labops.platform.kafka.AvroEventSerializer;
import labops.platform.kafka.AvroSerdes;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Canonical events sent as the normalizer sends them, through the test's real broker and registry. */
public final class CanonicalEvents {

    private CanonicalEvents() {
    }

    /** Keyed by tenant: one partition, so the test sees the order it sent. */
    public static void send(String topic, List<? extends SpecificRecordBase> events) throws Exception {
        var config = new HashMap<String, Object>(AvroSerdes.producerConfig(LabOpsInfrastructure.registry().apicurioUrl()));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LabOpsInfrastructure.kafka().bootstrapServers());
        var values = new AvroEventSerializer<SpecificRecordBase>();
        values.configure(config, false);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            for (var event : events) {
                producer.send(new ProducerRecord<>(topic, event.get("tenantId").toString(), event));
            }
            producer.flush();
        }
    }
}
