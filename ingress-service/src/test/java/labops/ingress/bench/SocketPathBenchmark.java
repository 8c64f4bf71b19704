package labops.ingress.bench;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The socket path's own work per message on one thread: the structural read of the sample ORM^O01 and the ACK built
 * from it (what ingress does before and after Kafka). {@code ./labops bench jmh ingress}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SocketPathBenchmark {

    private String message;
    private Method read;
    private Method accept;
    private Object acks;

    @Setup
    public void setUp() throws Exception {
        message = Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1);
        var header = Class.forName("labops.ingress.hl7.Er7Header");
        read = header.getDeclaredMethod("read", String.class);
        read.setAccessible(true);
        var acksType = Class.forName("labops.ingress.hl7.Hl7Acks");
        var constructor = acksType.getDeclaredConstructor();
        constructor.setAccessible(true);
        acks = constructor.newInstance();
        accept = acksType.getDeclaredMethod("accept", header);
        accept.setAccessible(true);
    }

    @Benchmark
    public Object readHeaderAndAcknowledge() throws Exception {
        return accept.invoke(acks, read.invoke(null, message));
    }

    /** The same with the control-character check every message now passes before it is published. */
    @Benchmark
    public Object checkReadHeaderAndAcknowledge() throws Exception {
        if (labops.ingress.intake.ControlCharacters.first(message) >= 0) {
            throw new IllegalStateException("the sample has no control character");
        }
        return accept.invoke(acks, read.invoke(null, message));
    }
}
