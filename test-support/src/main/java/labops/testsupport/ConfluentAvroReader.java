package labops.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Confluent wire-format records (magic byte 0, 4-byte schema id, Avro binary) with a plain Avro
 * reader and the writer schema fetched from a Confluent-compatible registry API: what any analytics
 * consumer of our topics does, with none of our serde code.
 */
public final class ConfluentAvroReader {

    private final String confluentUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public ConfluentAvroReader(String confluentUrl) {
        this.confluentUrl = confluentUrl;
    }

    public GenericRecord decode(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (buffer.get() != 0) {
            throw new IllegalArgumentException("not Confluent wire format: magic byte is not 0");
        }
        Schema writer = schema(buffer.getInt());
        try {
            return new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (IOException e) {
            throw new IllegalArgumentException("undecodable Avro record", e);
        }
    }

    public Schema schema(int id) {
        return schemas.computeIfAbsent(id, this::fetch);
    }

    private Schema fetch(int id) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create(confluentUrl + "/schemas/ids/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /schemas/ids/" + id + " answered " + response.statusCode());
            }
            return new Schema.Parser().parse(new ObjectMapper().readTree(response.body()).get("schema").asText());
        } catch (IOException e) {
            throw new IllegalStateException("registry unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
