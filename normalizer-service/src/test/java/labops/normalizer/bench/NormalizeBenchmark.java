package labops.normalizer.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import labops.events.Environment;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Normalization per message on one thread, without Kafka: the sample ORM^O01 (two order groups) into a PatientEvent
 * and two LabOrderEvents, the sample OML^O21 likewise, and the sample ORU^R01 into a LabResultEvent.
 * {@code ./labops bench jmh normalizer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NormalizeBenchmark {

    private RawMessageNormalizer normalizer;
    private RawRecord order;
    private RawRecord omlOrder;
    private RawRecord result;
    private Parser hapi;
    private String text;

    @Setup
    public void setUp() throws Exception {
        var type = Class.forName("labops.normalizer.hl7.Hl7Normalizer");
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        normalizer = (RawMessageNormalizer) constructor.newInstance();
        byte[] sample = Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .getBytes(StandardCharsets.ISO_8859_1);
        var context = new DefaultHapiContext(new GenericModelClassFactory());
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        hapi = context.getPipeParser();
        text = new String(sample, StandardCharsets.ISO_8859_1).replace("\r\n", "\r").replace('\n', '\r');
        order = record(sample);
        omlOrder = record(Files.readAllBytes(Path.of("samples", "oml-o21.hl7")));
        result = record(Files.readAllBytes(Path.of("samples", "oru-r01.hl7")));
    }

    private static RawRecord record(byte[] message) {
        return new RawRecord("bench", "bench-tenant", Environment.SANDBOX, "mllp", "127.0.0.1:1",
                Instant.parse("2026-01-01T00:00:00Z"), message, "bench-tenant|patient-hash");
    }

    /** HAPI's generic parse alone, as the normalizer configures it: the floor under normalizing this message. */
    @Benchmark
    public Message hapiParseOnly() throws Exception {
        return hapi.parse(text);
    }

    @Benchmark
    public List<CanonicalEvent> normalizeOrder() throws Exception {
        return normalizer.normalize(order);
    }

    /** OML^O21: two orders with TQ1 timing and an SPM specimen. */
    @Benchmark
    public List<CanonicalEvent> normalizeOmlOrder() throws Exception {
        return normalizer.normalize(omlOrder);
    }

    /** ORU^R01: one result group. */
    @Benchmark
    public List<CanonicalEvent> normalizeResult() throws Exception {
        return normalizer.normalize(result);
    }
}
