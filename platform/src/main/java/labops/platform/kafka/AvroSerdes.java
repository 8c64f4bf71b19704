package labops.platform.kafka;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Client settings for canonical Avro events. Schemas are registered in the registry and every record
 * carries the Confluent wire format (magic byte 0 + 4-byte schema id), so any Confluent-compatible
 * consumer can read our topics.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** Settings for {@code AvroKafkaSerializer}: schemas registered on first use. */
    public static Map<String, Object> producerConfig(String registryUrl) {
        Map<String, Object> config = common(registryUrl);
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        return config;
    }

    /** Settings for {@code AvroKafkaDeserializer}: values decoded into the generated classes. */
    public static Map<String, Object> consumerConfig(String registryUrl) {
        Map<String, Object> config = common(registryUrl);
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        return config;
    }

    private static Map<String, Object> common(String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
        config.put(AvroKafkaSerdeConfig.AVRO_DATUM_PROVIDER, GeneratedCodersDatumProvider.class.getName());
        return config;
    }
}
