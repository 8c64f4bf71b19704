package labops.testsupport;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for something asynchronous to become true, without fixed sleeps. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls until {@code probe} yields a value; fails with {@code what} after {@code timeout}. */
    public static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
        return await(what, timeout, probe, () -> null);
    }

    /** As {@link #await(String, Duration, Supplier)}; the failure also says what {@code seen} last saw. */
    public static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> seen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                String last = seen.get();
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (last == null ? "" : "; last seen: " + last));
            }
            Processes.pause(Duration.ofMillis(250));
        }
    }
}
