package labops.ingress.mllp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * MLLP framing: {@code <VT> message <FS><CR>}. Emits the message bytes exactly as sent. Bytes outside a frame
 * (including the trailing CR) are skipped; a frame ends at FS even if the CR never comes. A frame larger than the
 * limit is never buffered whole: its head (enough for the MSH) is emitted as {@link Oversize}, so the sender can be
 * told why, and the rest is discarded up to its FS; the connection stays usable for the next frame.
 */
final class MllpFrameDecoder extends ByteToMessageDecoder {

    static final byte START_BLOCK = 0x0B;
    static final byte END_BLOCK = 0x1C;
    static final byte CARRIAGE_RETURN = 0x0D;
    /** What is kept of an oversize frame: the MSH and the first segments, to answer and to show ops. */
    static final int OVERSIZE_HEAD_BYTES = 1024;

    /** The start of a frame larger than {@code limit} bytes. */
    record Oversize(byte[] head, int limit) {
    }

    private final int maxFrameBytes;
    private boolean discarding;

    MllpFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
