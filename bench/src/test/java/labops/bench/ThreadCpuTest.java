package labops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void namesTheKindsOfAServicesThreadsAsTheKernelShortensThem() {
        assertThat(ThreadCpu.Kind.of("C2 CompilerThre")).isEqualTo(ThreadCpu.Kind.JIT);
        assertThat(ThreadCpu.Kind.of("GC Thread#1")).isEqualTo(ThreadCpu.Kind.GC);
        assertThat(ThreadCpu.Kind.of("kafka-producer-")).isEqualTo(ThreadCpu.Kind.KAFKA_IO);
        assertThat(ThreadCpu.Kind.of("org.springframe")).isEqualTo(ThreadCpu.Kind.LISTENER);
        assertThat(ThreadCpu.Kind.of("http-nio-8103-e")).isEqualTo(ThreadCpu.Kind.OTHER);
    }

    @Test
    void countsAThreadsCpuTimeUnderItsKindEvenAfterItEnds() throws InterruptedException {
        var cpu = new ThreadCpu(ProcessHandle.current().pid());
        var threads = ManagementFactory.getThreadMXBean();
        var busy = new Thread(() -> {
            long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
            while (threads.getCurrentThreadCpuTime() < until) {
                Thread.onSpinWait();
            }
        }, "kafka-producer-network-thread");
        busy.start();
        while (busy.isAlive()) {
            cpu.sample();
            Thread.sleep(20);
        }

        // Ticks are 10 ms and a thread's last ones may fall after its last sample.
        assertThat(cpu.millisByKind().get(ThreadCpu.Kind.KAFKA_IO)).isBetween(200L, 400L);
        assertThat(cpu.shares()).contains("Kafka I/O");
    }
}
