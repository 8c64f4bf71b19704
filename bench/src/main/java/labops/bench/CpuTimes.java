package labops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time so far, from the first line of {@code /proc/stat} (Linux, in ticks). On a virtual machine,
 * {@code steal} is the time the hypervisor gave the machine's CPUs to someone else: a share of several percent during
 * a run makes its figures noisier than any change a benchmark looks for, so the benchmarks print it.
 *
 * @param steal ticks stolen by the hypervisor
 * @param total ticks of every kind (user, nice, system, idle, iowait, irq, softirq, steal)
 */
record CpuTimes(long steal, long total) {

    static CpuTimes now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new CpuTimes(fields.length > 8 ? Long.parseLong(fields[8]) : 0, total);
        } catch (IOException | RuntimeException e) {
            return new CpuTimes(0, 0);
        }
    }

    /** The percentage of the machine's CPU time stolen since {@code earlier}; 0 where {@code /proc/stat} is not. */
    double stealPercentSince(CpuTimes earlier) {
        long elapsed = total - earlier.total;
        return elapsed <= 0 ? 0 : 100.0 * (steal - earlier.steal) / elapsed;
    }
}
