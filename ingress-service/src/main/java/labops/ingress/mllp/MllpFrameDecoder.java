package labops.ingress.mllp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * MLLP framing: {@code <VT> message <FS><CR>}. Emits the message bytes exactly as sent. Bytes outside a
 * frame (including the trailing CR) are skipped; a frame ends at FS even if the CR never comes.
 */
final class MllpFrameDecoder extends ByteToMessageDecoder {

    static final byte START_BLOCK = 0x0B;
    static final byte END_BLOCK = 0x1C;
    static final byte CARRIAGE_RETURN = 0x0D;

    private final int maxFrameBytes;

    MllpFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws TooLongFrameException {
        while (in.isReadable()) {
            int start = in.indexOf(in.readerIndex(), in.writerIndex(), START_BLOCK);
            if (start < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            int end = in.indexOf(start + 1, in.writerIndex(), END_BLOCK);
            if (end < 0) {
                if (in.writerIndex() - start > maxFrameBytes) {
                    throw new TooLongFrameException("MLLP frame larger than " + maxFrameBytes + " bytes");
                }
                in.readerIndex(start);
                return;
            }
            byte[] message = new byte[end - start - 1];
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
