package labops.ingress.mllp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory MLLP frames hold on this instance, together, against one budget: unfinished frames as they arrive, and
 * whole ones until their ACK is written. Each connection's limit (the largest message) times many connections, or
 * times the messages one connection may have in flight, is more than any heap, so the instance as a whole has one too.
 */
final class FrameBudget {

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    FrameBudget(long budget) {
        this.budget = budget;
    }

    /** Moves a connection's hold from {@code from} to {@code to} bytes; false (nothing moved) when over the budget. */
    boolean resize(long from, long to) {
        long delta = to - from;
        if (delta == 0) {
            // The common case, a frame read whole: no write to the counter every event loop shares.
            return true;
        }
        if (delta < 0) {
            held.addAndGet(delta);
            return true;
        }
        while (true) {
            long now = held.get();
            if (now + delta > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + delta)) {
                return true;
            }
        }
    }

    /**
     * Counts a whole frame until {@link #release}: it is in memory already, so it is counted even past the budget,
     * and the unfinished frames that arrive meanwhile find the budget spent.
     */
    void hold(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
