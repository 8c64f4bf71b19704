package labops.normalizer.raw;

import org.apache.avro.specific.SpecificRecord;

/** One event to publish: the topic, the partitioning key and the Avro value. */
public record CanonicalEvent(String topic, String key, SpecificRecord value) {
}
