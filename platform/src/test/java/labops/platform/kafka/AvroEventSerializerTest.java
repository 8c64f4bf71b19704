package labops.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.List;
import java.util.Map;
import labops.events.Interpretation;
import labops.schemas.topic.Topics;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The buffered serializer writes, record after record on one thread, exactly what Apicurio's own serializer writes. */
class AvroEventSerializerTest {

    @Test
    void writesWhatApicuriosSerializerWritesRecordAfterRecord() {
        Map<String, Object> config = AvroSerdes.producerConfig(LabOpsInfrastructure.registry().apicurioUrl());
        var buffered = new AvroEventSerializer<SpecificRecordBase>();
        buffered.configure(config, false);
        var apicurio = new AvroKafkaSerializer<SpecificRecordBase>();
        apicurio.configure(config, false);
        // A large event, then smaller ones: the reused encoder must carry nothing from one record into the next.
        List<SpecificRecordBase> events = List.of(
                SampleEvents.labResult("tenant-serializer", "PON-" + "9".repeat(500), Interpretation.HIGH),
                SampleEvents.labOrder("tenant-serializer", "PON-1"),
                SampleEvents.labOrder("tenant-serializer", "PON-2"));
        for (SpecificRecordBase event : events) {
            String topic = event.getSchema().getName().equals("LabOrderEvent") ? Topics.CANONICAL_ORDERS
                    : Topics.CANONICAL_RESULTS;
            assertThat(buffered.serialize(topic, event)).isEqualTo(apicurio.serialize(topic, event));
        }
    }
}
