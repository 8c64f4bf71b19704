package labops.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An MLLP load tool as a hospital interface engine drives a feed: C connections, original mode, one message in flight
 * per connection, every ACK read and checked (MSA-1 = AA, MSA-2 = the message's MSH-10). Reports throughput and ACK
 * latency percentiles over the measured period, after a warm-up.
 *
 * <p>By default each connection sends its next message as soon as the last is acknowledged (closed loop: the rate is
 * whatever the target and the machine allow, and a saturated machine sets the latency). {@link #paced} sends at a
 * fixed total rate instead, each connection on its own schedule; a message sent late because the previous ACK came
 * after its slot is timed from its slot, so a stall is counted in full rather than hidden by the messages not sent
 * during it.
 */
public final class MllpLoad {

    /** What one run measured. */
    public record Result(String target, int connections, long messages, double seconds, long failures,
                         Histogram latencyMicros, double cpuMillisPerMessage) {

        public double perSecond() {
            return messages / seconds;
        }

        /** Two measurements of the same target and connection count as one. */
        public Result plus(Result other) {
            var latencies = latencyMicros.copy();
            latencies.add(other.latencyMicros);
            double cpu = (cpuMillisPerMessage * messages + other.cpuMillisPerMessage * other.messages)
                    / Math.max(1, messages + other.messages);
            return new Result(target, connections, messages + other.messages, seconds + other.seconds,
                    failures + other.failures, latencies, cpu);
        }

        public String row() {
            return String.format("| %s | %d | %,.0f msg/s | p50 %.2f ms | p99 %.2f ms | p99.9 %.2f ms | %.3f ms "
                            + "| failures %d |", target, connections, perSecond(),
                    latencyMicros.getValueAtPercentile(50) / 1000.0, latencyMicros.getValueAtPercentile(99) / 1000.0,
                    latencyMicros.getValueAtPercentile(99.9) / 1000.0, cpuMillisPerMessage, failures);
        }
    }

    private final String template;
    private final double perSecond;

    /** {@code template} is an ER7 message whose MSH-10 reads {@code CONTROL-ID}; each send gets a unique one. */
    public MllpLoad(String template) {
        this(template, 0);
    }

    private MllpLoad(String template, double perSecond) {
        if (!template.contains("CONTROL-ID")) {
            throw new IllegalArgumentException("the template's MSH-10 must be CONTROL-ID");
        }
        this.template = template;
        this.perSecond = perSecond;
    }

    /** The same load offered at {@code perSecond} messages a second in total, spread evenly over the connections. */
    public MllpLoad paced(double perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("a paced rate is positive");
        }
        return new MllpLoad(template, perSecond);
    }

    /**
     * Warms up for {@code warmup}, then measures for {@code duration} on {@code connections} connections; the CPU
     * the process {@code pid} used in the measured period is divided by the messages acknowledged.
     */
    public Result run(String target, int port, long pid, int connections, Duration warmup, Duration duration)
            throws InterruptedException {
        drive(port, connections, warmup, null);
        var histogram = new Histogram(60_000_000L, 3);
        long cpuBefore = cpuMillis(pid);
        long started = System.nanoTime();
        long[] counts = drive(port, connections, duration, histogram);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (cpuMillis(pid) - cpuBefore) / (double) Math.max(1, counts[0]);
        return new Result(target, connections, counts[0], seconds, counts[1], histogram, cpu);
    }

    /** User + system CPU time of a process so far, from /proc (Linux; 100 ticks per second). */
    static long cpuMillis(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private long[] drive(int port, int connections, Duration duration, Histogram into) throws InterruptedException {
        var sent = new AtomicLong();
        var failed = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        var threads = new ArrayList<Thread>();
        var histograms = new ArrayList<Histogram>();
        long interval = perSecond > 0 ? (long) (1e9 * connections / perSecond) : 0;
        for (int c = 0; c < connections; c++) {
            int connection = c;
            var histogram = new Histogram(60_000_000L, 3);
            histograms.add(histogram);
            String prefix = "C" + c + "-" + System.nanoTime() + "-";
            var thread = new Thread(() -> {
                try (var socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    var out = socket.getOutputStream();
                    var in = reader(socket);
                    long n = 0;
                    long slot = System.nanoTime() + interval * connection / Math.max(1, connections);
                    while (System.nanoTime() < deadline) {
                        String control = prefix + n++;
                        long start = System.nanoTime();
                        if (interval > 0) {
                            if (slot >= deadline) {
                                break;
                            }
                            if (start < slot) {
                                LockSupport.parkNanos(slot - start);
                                start = System.nanoTime();
                            } else {
                                start = slot;
                            }
                            slot += interval;
                        }
                        String ack = exchange(out, in, template.replace("CONTROL-ID", control));
                        histogram.recordValue(Math.min((System.nanoTime() - start) / 1000, 60_000_000L));
                        if (ack.contains("MSA|AA|" + control)) {
                            sent.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            }, "mllp-load-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (into != null) {
            histograms.forEach(into::add);
        }
        return new long[] {sent.get(), failed.get()};
    }

    /**
     * The socket's input, buffered as an interface engine reads it: the ACK is read a byte at a time, and from the
     * socket itself each byte would be a system call (~150 per ACK), CPU the load tool took from the target.
     */
    static InputStream reader(Socket socket) throws IOException {
        return new BufferedInputStream(socket.getInputStream(), 4096);
    }

    /** Sends one framed message and reads its ACK. */
    static String exchange(OutputStream out, InputStream in, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.ISO_8859_1);
        byte[] frame = new byte[body.length + 3];
        frame[0] = 0x0B;
        System.arraycopy(body, 0, frame, 1, body.length);
        frame[frame.length - 2] = 0x1C;
        frame[frame.length - 1] = 0x0D;
        out.write(frame);
        out.flush();
        return readAck(in);
    }

    private static String readAck(InputStream in) throws IOException {
        var ack = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1 && b != 0x0B) {
            // up to the start block
        }
        while ((b = in.read()) != -1 && b != 0x1C) {
            ack.write(b);
        }
        in.read();
        return ack.toString(StandardCharsets.ISO_8859_1);
    }
}
