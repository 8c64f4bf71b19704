package labops.ingress.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MllpFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new MllpFrameDecoder(1024));

    @Test
    void emitsTheMessageBytesExactlyAsSent() {
        write("\u000bMSH|^~\\&|A\nPID|1\u001c\r");

        assertThat(read()).isEqualTo("MSH|^~\\&|A\nPID|1");
    }

    @Test
    void waitsForAFrameSplitAcrossReads() {
        write("\u000bMSH|^~\\&|A\r");
        assertThat((Object) channel.readInbound()).isNull();
        write("PID|1\r\u001c\r");

        assertThat(read()).isEqualTo("MSH|^~\\&|A\rPID|1\r");
    }

    @Test
    void readsTwoFramesFromOneReadAndSkipsBytesOutsideFrames() {
        write("noise\u000bMSH|1\u001c\r\r\n\u000bMSH|2\u001c\r");

        assertThat(read()).isEqualTo("MSH|1");
        assertThat(read()).isEqualTo("MSH|2");
    }

    @Test
    void aFrameEndsAtTheEndBlockEvenWithoutTheFinalCarriageReturn() {
        write("\u000bMSH|1\u001c");

        assertThat(read()).isEqualTo("MSH|1");
    }

    @Test
    void anOversizeFrameYieldsItsHeadIsDiscardedAcrossReadsAndTheNextFrameStillArrives() {
        write("\u000bMSH|^~\\&|EHR" + "x".repeat(1500));
        write("y".repeat(3000));
        write("z\u001c\r\u000bMSH|next\u001c\r");

        MllpFrameDecoder.Oversize oversize = channel.readInbound();
        assertThat(oversize.limit()).isEqualTo(1024);
        assertThat(new String(oversize.head(), StandardCharsets.ISO_8859_1)).startsWith("MSH|^~\\&|EHR")
                .hasSize(MllpFrameDecoder.OVERSIZE_HEAD_BYTES);
        assertThat(read()).isEqualTo("MSH|next");
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void anOversizeFrameWithinOneReadIsCutAtItsEnd() {
        write("\u000bMSH|" + "x".repeat(1100) + "\u001c\r\u000bMSH|2\u001c\r");

        assertThat((Object) channel.readInbound()).isInstanceOf(MllpFrameDecoder.Oversize.class);
        assertThat(read()).isEqualTo("MSH|2");
    }

    @Test
    void framesAnAck() {
        assertThat(new String(MllpFrameDecoder.frame("MSA|AA".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("\u000bMSA|AA\u001c\r");
    }

    private void write(String bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private String read() {
        byte[] message = channel.readInbound();
        assertThat(message).isNotNull();
        return new String(message, StandardCharsets.ISO_8859_1);
    }
}
