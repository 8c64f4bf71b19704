package labops.ingress.hl7;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import labops.ingress.IngressProperties;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.util.unit.DataSize;

/**
 * What remembering each acknowledged control id costs the socket path: a new id every call, as at line rate.
 * {@code ./labops bench jmh ingress RecentControlIds}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecentControlIdsBenchmark {

    private RecentControlIds ids;
    private byte[] message;
    private long n;

    @Setup
    public void setUp() throws Exception {
        ids = new RecentControlIds(new IngressProperties(new IngressProperties.Tls(null, null), 32, null,
                Duration.ofMinutes(30), 32, Duration.ofHours(24), "http://127.0.0.1:8105", DataSize.ofMegabytes(20),
                "", "", DataSize.ofMegabytes(128), 16, Duration.ofSeconds(10), DataSize.ofMegabytes(256), 200_000));
        message = Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Benchmark
    public Object rememberANewControlId() {
        return ids.check("tenant|sandbox|EHR|HOSP|MSG-" + n++, message);
    }
}
