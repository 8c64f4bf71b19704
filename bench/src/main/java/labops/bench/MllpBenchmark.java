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
 * {@code ./labops bench mllp [connections=1,4,16] [seconds=20] [warmup=30]}. Prints one Markdown row per target and
 * connection count. Only the measured processes run (the comparison after ingress is stopped).
 */
public final class MllpBenchmark {

    /** Before each measured run, a few seconds at its own connection count. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private MllpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> connections = Arrays.stream((args.length > 0 ? args[0] : "1,4,16").split(","))
                .map(Integer::parseInt).toList();
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 30);
        var load = new MllpLoad(Files.readString(Path.of("samples", "orm-o01-v23.hl7"), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\r").replace('\n', '\r').replace("MSG-ORM-0001", "CONTROL-ID"));
        var results = new ArrayList<MllpLoad.Result>();
        try (var stack = new BenchStack()) {
            // Defaults: tenant and type checks on the socket path; copies are told apart by the normalizer (not run
            // here: the Camel route has none), so the socket path asks no database.
            var ingress = stack.startService("ingress-service", Map.of(
                    "LABOPS_SECURITY_CLIENTSECRET", "bench-ingress-secret"));
            BenchStack.awaitListening(stack.ordersPort());
            warm(load, stack.ordersPort(), connections, warmup);
            for (int c : connections) {
                results.add(load.run("Lab Ops ingress", stack.ordersPort(), ingress.pid(), c, SETTLE, duration));
                System.out.println(results.get(results.size() - 1).row());
            }
            stack.stopService("ingress-service");

            int camelPort = Ports.free();
            stack.createTopic("labops.bench.camel");
            Process camel = stack.startJava(CamelMllpRoute.class.getName(),
                    List.of(Integer.toString(camelPort), stack.bootstrapServers(), "labops.bench.camel"), "camel");
            try {
                BenchStack.awaitListening(camelPort);
                warm(load, camelPort, connections, warmup);
                for (int c : connections) {
                    results.add(load.run("Camel route", camelPort, camel.pid(), c, SETTLE, duration));
                    System.out.println(results.get(results.size() - 1).row());
                }
            } finally {
                Processes.stop(camel, Duration.ofSeconds(10));
            }
        }
        System.out.printf("%nMLLP, original mode, one message in flight per connection, every ACK checked; %d s "
                + "measured per row after %d s of warm-up at the highest connection count and 5 s at the row's; JVM %s; "
                + "%d cores%n", duration.toSeconds(), warmup.toSeconds(),
                BenchStack.JVM, Runtime.getRuntime().availableProcessors());
        System.out.println("| target | connections | throughput | p50 | p99 | p99.9 | CPU per message | failures |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        results.forEach(r -> System.out.println(r.row()));
    }

    /** Every target is warmed up the same way: {@code warmup} at the highest connection count, so the JIT settles. */
    private static void warm(MllpLoad load, int port, List<Integer> connections, Duration warmup)
            throws InterruptedException {
        load.run("warm-up", port, 0, connections.stream().max(Integer::compare).orElseThrow(), Duration.ZERO, warmup);
    }
}
