package labops.ingress.mllp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MLLP framing: {@code <VT> message <FS><CR>}. Emits the message bytes exactly as sent. Bytes outside a frame
 * (including the trailing CR) are skipped; a frame ends at FS even if the CR never comes. A frame larger than the
 * limit is never buffered whole: its head (enough for the MSH) is emitted as {@link Oversize}, so the sender can be
 * told why, and the rest is discarded up to its FS; the connection stays usable for the next frame.
 *
 * <p>A frame once begun must end in time: {@code frameTimeout} plus a second for every 64 KB it has so far, a rate any
 * real link keeps and a slowloris sender does not. What an unfinished frame holds counts against the instance's
 * {@link FrameBudget} budget. A frame too slow, or one the budget cannot hold, closes the connection
 * ({@link Closed} tells the connection's handler why, before it closes).
 */
final class MllpFrameDecoder extends ByteToMessageDecoder {

    static final byte START_BLOCK = 0x0B;
    static final byte END_BLOCK = 0x1C;
    static final byte CARRIAGE_RETURN = 0x0D;
    /** What is kept of an oversize frame: the MSH and the first segments, to answer and to show ops. */
    static final int OVERSIZE_HEAD_BYTES = 1024;

    /** Bytes of a frame that buy it one more second: a minimum rate of 64 KB/s. */
    private static final long BYTES_PER_SECOND = 64 * 1024;

    /** The start of a frame larger than {@code limit} bytes. */
    record Oversize(byte[] head, int limit) {
    }

    /** Why the decoder closed its connection: an event for the connection's handler, sent just before. */
    enum Closed {
        /** A frame begun and not ended in time. */
        FRAME_TIMEOUT,
        /** The instance's frames, unfinished and awaiting their ACK, hold all the memory they may. */
        FRAME_BUDGET
    }

    private final int maxFrameBytes;
    private final Duration frameTimeout;
    private final FrameBudget budget;
    private boolean discarding;
    private boolean closing;
    /** The unfinished frame: when it began (0: none), how many bytes it has, how many the budget holds for it. */
    private long frameBegan;
    private long frameBytes;
    private long held;

    MllpFrameDecoder(int maxFrameBytes, Duration frameTimeout, FrameBudget budget) {
        this.maxFrameBytes = maxFrameBytes;
        this.frameTimeout = frameTimeout;
        this.budget = budget;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closing) {
            // Closed for a reason already told: what is left (read again as the channel goes) is not decoded.
            in.skipBytes(in.readableBytes());
            return;
        }
        int ended = out.size();
        int arrived = in.readableBytes();
        frames(in, out);
        if (!holding(ctx, discarding ? 0 : in.readableBytes())) {
            return;
        }
        if (out.size() > ended || !(discarding || in.isReadable())) {
            // A frame ended: whatever is left is the next one's beginning, timed from now.
            frameBegan = 0;
            frameBytes = 0;
        }
        if ((discarding || in.isReadable()) && frameBegan == 0) {
            long began = ctx.executor().ticker().nanoTime();
            frameBegan = began;
            ctx.executor().schedule(() -> check(ctx, began), frameTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        // What a discarded (oversize) frame has sent so far is counted as it goes by; it is not held.
        frameBytes = discarding ? frameBytes + arrived : in.readableBytes();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        budget.resize(held, 0);
        held = 0;
    }

    /** Holds {@code bytes} of the budget for the unfinished frame; closes the connection when the budget is spent. */
    private boolean holding(ChannelHandlerContext ctx, long bytes) {
        if (!budget.resize(held, bytes)) {
            close(ctx, Closed.FRAME_BUDGET);
            return false;
        }
        held = bytes;
        return true;
    }

    /** Still the same unfinished frame: closed once past its time, else looked at again when that comes. */
    private void check(ChannelHandlerContext ctx, long began) {
        if (frameBegan != began || !ctx.channel().isActive()) {
            return;
        }
        long allowed = frameTimeout.toNanos() + TimeUnit.SECONDS.toNanos(frameBytes / BYTES_PER_SECOND);
        long left = allowed - (ctx.executor().ticker().nanoTime() - began);
        if (left <= 0) {
            close(ctx, Closed.FRAME_TIMEOUT);
        } else {
            ctx.executor().schedule(() -> check(ctx, began), left, TimeUnit.NANOSECONDS);
        }
    }

    private void close(ChannelHandlerContext ctx, Closed why) {
        closing = true;
        ctx.fireUserEventTriggered(why);
        ctx.close();
    }

    private void frames(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (discarding) {
                int end = in.indexOf(in.readerIndex(), in.writerIndex(), END_BLOCK);
                if (end < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(end + 1);
                discarding = false;
                continue;
            }
            int start = in.indexOf(in.readerIndex(), in.writerIndex(), START_BLOCK);
            if (start < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            int end = in.indexOf(start + 1, in.writerIndex(), END_BLOCK);
            int length = (end < 0 ? in.writerIndex() : end) - start - 1;
            if (length > maxFrameBytes) {
                byte[] head = new byte[Math.min(OVERSIZE_HEAD_BYTES, length)];
                in.getBytes(start + 1, head);
                out.add(new Oversize(head, maxFrameBytes));
                if (end < 0) {
                    in.skipBytes(in.readableBytes());
                    discarding = true;
                    return;
                }
                in.readerIndex(end + 1);
                continue;
            }
            if (end < 0) {
                in.readerIndex(start);
                return;
            }
            byte[] message = new byte[length];
            in.getBytes(start + 1, message);
            in.readerIndex(end + 1);
            out.add(message);
        }
    }

    /** Wraps an outgoing message (an ACK) in an MLLP frame. */
    static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START_BLOCK;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END_BLOCK;
        framed[framed.length - 1] = CARRIAGE_RETURN;
        return framed;
    }
}
