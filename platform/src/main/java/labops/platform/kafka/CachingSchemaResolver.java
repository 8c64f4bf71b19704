package labops.platform.kafka;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's resolver, remembering per topic and generated class which schema it resolved. The default resolver
 * looks every record's schema up by its content, which means rendering the whole schema as JSON for each event:
 * measured as the largest single cost of normalizing a message. A generated class has one schema, so the lookup is
 * done again only after {@link #REFRESH}, as often as the default resolver would check the registry.
 */
public class CachingSchemaResolver<S, T> extends DefaultSchemaResolver<S, T> {

    static final Duration REFRESH = Duration.ofMinutes(1);

    private record Resolved<S>(SchemaLookupResult<S> result, long at) {
    }

    private final Map<List<Object>, Resolved<S>> resolved = new ConcurrentHashMap<>();

    @Override
    public SchemaLookupResult<S> resolveSchema(Record<T> data) {
        if (!(data.payload() instanceof SpecificRecord) || !(data.metadata() instanceof KafkaSerdeMetadata kafka)) {
            return super.resolveSchema(data);
        }
        var key = List.<Object>of(kafka.getTopic(), kafka.isKey(), data.payload().getClass());
        long now = System.nanoTime();
        Resolved<S> known = resolved.get(key);
        if (known == null || now - known.at() > REFRESH.toNanos()) {
            // One lookup per key at a time: threads sending their first event of a type at once would otherwise all
            // register it, and the registry's store refuses concurrent registrations.
            known = resolved.compute(key, (k, current) -> current != null && now - current.at() <= REFRESH.toNanos()
                    ? current : new Resolved<>(super.resolveSchema(data), System.nanoTime()));
        }
        return known.result();
    }

    @Override
    public void reset() {
        resolved.clear();
        super.reset();
    }
}
