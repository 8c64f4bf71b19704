package labops.ingress.mllp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory every unfinished MLLP frame on this instance holds, together, against one budget: each connection's
 * limit (the largest message) times many connections is more than any heap, so the instance as a whole has one too.
 */
final class IncompleteFrames {

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    IncompleteFrames(long budget) {
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

    long held() {
        return held.get();
    }
}
