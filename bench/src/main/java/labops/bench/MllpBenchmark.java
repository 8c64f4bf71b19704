package labops.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import labops.testsupport.Ports;
import labops.testsupport.Processes;

/**
 * Lab Ops' MLLP ingress and a plain Camel route side by side, in one run, on the same broker and JVM settings:
 * {@code ./labops bench mllp [connections=1,4,16] [seconds=20] [warmup=30] [rounds=4] [rate]}. Prints one Markdown row
 * per target and connection count, and the ratio of their throughputs. Without {@code rate} every connection sends
 * its next message on its ACK (closed loop); with it the measured slices offer {@code rate} messages a second in
 * total ({@link MllpLoad#paced}), for the latency below saturation.
 *
 * <p>Both targets run for the whole benchmark and are measured in turns: each connection count's {@code seconds} are
 * split into {@code rounds} paired slices, ingress first in even rounds and the route first in odd ones, so a change in
 * the shared machine's speed during the run (a noisy neighbour, the broker's background work) falls on both alike
 * rather than on whichever came second. The target not being measured is idle. The ratio row gives the ratio of the
 * totals and the paired rounds' summary ({@link PairedRatios}): with enough rounds, whether a difference is real.
 */
public final class MllpBenchmark {

    /** Before each measured slice, a moment at its own connection count. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private MllpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> connections = Arrays.stream((args.length > 0 ? args[0] : "1,4,16").split(","))
                .map(Integer::parseInt).toList();
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 30);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Duration slice = duration.dividedBy(rounds);
        double rate = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        var warmLoad = new MllpLoad(Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\r").replace('\n', '\r').replace("MSG-ORM-0001", "CONTROL-ID"));
        var load = rate > 0 ? warmLoad.paced(rate) : warmLoad;
        var rows = new ArrayList<String>();
        try (var stack = new BenchStack()) {
            // Defaults: tenant and type checks on the socket path; copies are told apart by the normalizer (not run
            // here: the Camel route has none), so the socket path asks no database.
            var ingress = stack.startService("ingress-service", Map.of(
                    "LABOPS_SECURITY_CLIENTSECRET", "bench-ingress-secret"));
            BenchStack.awaitListening(stack.ordersPort());
            int camelPort = Ports.free();
            stack.createTopic("labops.bench.camel");
            Process camel = stack.startJava(CamelMllpRoute.class.getName(),
                    List.of(Integer.toString(camelPort), stack.bootstrapServers(), "labops.bench.camel"), "camel");
            try {
                BenchStack.awaitListening(camelPort);
                warm(warmLoad, stack.ordersPort(), connections, warmup);
                warm(warmLoad, camelPort, connections, warmup);
                for (int c : connections) {
                    MllpLoad.Result ours = null;
                    MllpLoad.Result theirs = null;
                    var ratios = new ArrayList<Double>();
                    var cpu = CpuTimes.now();
                    for (int round = 0; round < rounds; round++) {
                        MllpLoad.Result a;
                        MllpLoad.Result b;
                        if (round % 2 == 0) {
                            a = load.run("Lab Ops ingress", stack.ordersPort(), ingress.pid(), c, SETTLE, slice);
                            b = load.run("Camel route", camelPort, camel.pid(), c, SETTLE, slice);
                        } else {
                            b = load.run("Camel route", camelPort, camel.pid(), c, SETTLE, slice);
                            a = load.run("Lab Ops ingress", stack.ordersPort(), ingress.pid(), c, SETTLE, slice);
                        }
                        ratios.add(a.perSecond() / b.perSecond());
                        ours = ours == null ? a : ours.plus(a);
                        theirs = theirs == null ? b : theirs.plus(b);
                    }
                    rows.add(ours.row());
                    rows.add(theirs.row());
                    rows.add(String.format("| ingress / route | %d | %.2fx | %s; CPU stolen by the hypervisor: "
                                    + "%.1f%% | | | | |", c, ours.perSecond() / theirs.perSecond(),
                            new PairedRatios(ratios).summary(), CpuTimes.now().stealPercentSince(cpu)));
                    rows.subList(rows.size() - 3, rows.size()).forEach(System.out::println);
                }
            } finally {
                Processes.stop(camel, Duration.ofSeconds(10));
            }
        }
        System.out.printf("%nMLLP, original mode, one message in flight per connection, every ACK checked, %s; %d s "
                        + "measured per row in %d paired slices (the order alternating) after %d s of warm-up each at "
                        + "the highest connection count and %d s at the slice's; JVM %s; %d cores%n",
                rate > 0 ? String.format("paced at %,.0f msg/s in total", rate) : "each connection sending on its ACK",
                duration.toSeconds(), rounds, warmup.toSeconds(), SETTLE.toSeconds(), BenchStack.JVM,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| target | connections | throughput | p50 | p99 | p99.9 | CPU per message | failures |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** Every target is warmed up the same way: {@code warmup} at the highest connection count, so the JIT settles. */
    private static void warm(MllpLoad load, int port, List<Integer> connections, Duration warmup)
            throws InterruptedException {
        load.run("warm-up", port, 0, connections.stream().max(Integer::compare).orElseThrow(), Duration.ZERO, warmup);
    }
}
