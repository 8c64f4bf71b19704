package labops.ingress.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import labops.testsupport.HostileInputs;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever bytes arrive, however the network cuts them, the decoder emits exactly the frames a plain reading of the
 * whole stream finds (each message as sent, an oversize frame as its head), never throws, and holds no budget once
 * the stream is over.
 */
class MllpFrameDecoderFuzzTest {

    private static final int LIMIT = 256;

    @Property
    void framesDoNotDependOnHowTheStreamIsCut(@ForAll("streams") byte[] stream,
                                              @ForAll @IntRange(min = 1, max = 97) int cut) {
        var budget = new FrameBudget(1 << 20);
        var channel = new EmbeddedChannel(new MllpFrameDecoder(LIMIT, Duration.ofSeconds(10), budget));
        for (int at = 0; at < stream.length; at += cut) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + cut))));
        }
        var emitted = new ArrayList<Object>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            emitted.add(frame);
        }
        List<byte[]> expected = reference(stream);

        assertThat(emitted).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            byte[] frame = expected.get(i);
            if (frame.length > LIMIT) {
                var head = ((MllpFrameDecoder.Oversize) emitted.get(i)).head();
                assertThat(head.length).isGreaterThan(LIMIT);
                assertThat(Arrays.copyOf(frame, head.length)).isEqualTo(head);
            } else {
                assertThat((byte[]) emitted.get(i)).isEqualTo(frame);
            }
        }
        channel.finishAndReleaseAll();
        assertThat(budget.held()).isZero();
    }

    @Provide
    Arbitrary<byte[]> streams() {
        return HostileInputs.bytes(2_000);
    }

    /**
     * Frames as a plain reading of the whole stream finds them: from a VT to the next FS; an unfinished one at the
     * end counts only once it is past the limit (its head was emitted, the rest discarded).
     */
    private static List<byte[]> reference(byte[] stream) {
        var frames = new ArrayList<byte[]>();
        int at = 0;
        while (true) {
            int start = indexOf(stream, MllpFrameDecoder.START_BLOCK, at);
            if (start < 0) {
                return frames;
            }
            int end = indexOf(stream, MllpFrameDecoder.END_BLOCK, start + 1);
            byte[] frame = Arrays.copyOfRange(stream, start + 1, end < 0 ? stream.length : end);
            if (end >= 0 || frame.length > LIMIT) {
                frames.add(frame);
            }
            if (end < 0) {
                return frames;
            }
            at = end + 1;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
