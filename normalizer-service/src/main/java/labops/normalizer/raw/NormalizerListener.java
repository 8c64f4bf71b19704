package labops.normalizer.raw;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import labops.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Raw message in, canonical events out, in the listener's Kafka transaction. */
@Component
class NormalizerListener {

    private static final Logger log = LoggerFactory.getLogger(NormalizerListener.class);

    private final RawMessageNormalizer hl7;
    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry meters;

    NormalizerListener(List<RawMessageNormalizer> normalizers, KafkaTemplate<String, Object> kafka, MeterRegistry meters) {
        this.hl7 = normalizers.stream().filter(n -> n.topic().equals(Topics.RAW_HL7V2)).findFirst().orElseThrow();
        this.kafka = kafka;
        this.meters = meters;
    }

    @KafkaListener(topics = Topics.RAW_HL7V2)
    void onHl7(ConsumerRecord<String, byte[]> record) throws UnmappableMessageException {
        RawRecord raw = RawRecord.of(record.headers(), record.value());
        List<CanonicalEvent> events;
        try {
            events = hl7.normalize(raw);
        } catch (UnmappableMessageException e) {
            log.info("event=unmappable messageId={} tenant={} reason=\"{}\"", raw.messageId(), raw.tenantId(), e.getMessage());
            meters.counter("labops.normalizer.messages", "format", "hl7v2", "outcome", "unmappable").increment();
            throw e;
        }
        for (CanonicalEvent event : events) {
            kafka.send(event.topic(), event.key(), event.value());
        }
        meters.counter("labops.normalizer.messages", "format", "hl7v2", "outcome", "normalized").increment();
        log.info("event=normalized messageId={} tenant={} events={}", raw.messageId(), raw.tenantId(), events.size());
    }
}
