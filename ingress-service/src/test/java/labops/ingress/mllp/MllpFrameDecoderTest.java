package labops.ingress.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MllpFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new MllpFrameDecoder(1024, Duration.ofSeconds(10), new FrameBudget(1 << 20)));

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

    @Test
    void aFrameTricklingInLikeASlowlorisIsClosedAfterItsTimeAndAFastOneIsNot() {
        var events = new java.util.ArrayList<Object>();
        var slow = decoding(1 << 20, new FrameBudget(1 << 24), events);
        slow.freezeTime();
        slow.writeInbound(bytes("\u000bMSH|^~\\&|slow"));
        slow.advanceTimeBy(9, java.util.concurrent.TimeUnit.SECONDS);
        slow.writeInbound(bytes("x"));
        slow.runPendingTasks();
        assertThat(slow.isOpen()).as("within its ten seconds").isTrue();
        slow.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
        slow.runPendingTasks();
        assertThat(slow.isOpen()).isFalse();
        assertThat(events).containsExactly(MllpFrameDecoder.Closed.FRAME_TIMEOUT);

        var large = decoding(1 << 22, new FrameBudget(1 << 24), new java.util.ArrayList<>());
        large.freezeTime();
        large.writeInbound(bytes("\u000bMSH|^~\\&|large" + "x".repeat(640 * 1024)));
        large.advanceTimeBy(15, java.util.concurrent.TimeUnit.SECONDS);
        large.runPendingTasks();
        assertThat(large.isOpen()).as("640 KB buy ten more seconds").isTrue();
        large.writeInbound(bytes("\u001c\r"));
        large.advanceTimeBy(60, java.util.concurrent.TimeUnit.SECONDS);
        large.runPendingTasks();
        assertThat(large.isOpen()).as("its frame ended in time").isTrue();
        assertThat(new String((byte[]) large.readInbound(), StandardCharsets.ISO_8859_1)).startsWith("MSH|^~\\&|large");
    }

    @Test
    void unfinishedFramesShareOneBudgetAndTheConnectionThatWouldExceedItIsClosed() {
        var budget = new FrameBudget(1000);
        var events = new java.util.ArrayList<Object>();
        var first = decoding(4096, budget, new java.util.ArrayList<>());
        var second = decoding(4096, budget, events);

        first.writeInbound(bytes("\u000b" + "a".repeat(600)));
        second.writeInbound(bytes("\u000b" + "b".repeat(600)));

        assertThat(second.isOpen()).isFalse();
        assertThat(events).containsExactly(MllpFrameDecoder.Closed.FRAME_BUDGET);
        assertThat(budget.held()).isEqualTo(601);
        first.writeInbound(bytes("\u001c\r"));
        assertThat(budget.held()).as("an ended frame holds nothing").isZero();
        var third = decoding(4096, budget, new java.util.ArrayList<>());
        third.writeInbound(bytes("\u000b" + "c".repeat(900)));
        assertThat(third.isOpen()).isTrue();
        third.close();
        assertThat(budget.held()).as("a closed connection holds nothing").isZero();
    }

    @Test
    void wholeFramesAwaitingTheirAckLeaveLessForUnfinishedOnes() {
        var budget = new FrameBudget(1000);
        var events = new java.util.ArrayList<Object>();
        budget.hold(900);
        var waiting = decoding(4096, budget, events);

        waiting.writeInbound(bytes("\u000b" + "a".repeat(200)));

        assertThat(events).as("900 bytes awaiting an ACK and 201 unfinished exceed 1000")
                .containsExactly(MllpFrameDecoder.Closed.FRAME_BUDGET);
        budget.release(900);
        var next = decoding(4096, budget, new java.util.ArrayList<>());
        next.writeInbound(bytes("\u000b" + "b".repeat(200)));
        assertThat(next.isOpen()).as("answered, the whole frame no longer counts").isTrue();
        assertThat(budget.held()).isEqualTo(201);
    }

    /** A decoder on its own channel, with a handler behind it that keeps the events it fires. */
    private static EmbeddedChannel decoding(int limit, FrameBudget budget, java.util.List<Object> events) {
        return new EmbeddedChannel(new MllpFrameDecoder(limit, Duration.ofSeconds(10), budget),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object event) {
                        events.add(event);
                    }

                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object message) {
                        ctx.fireChannelRead(message);
                    }
                });
    }

    private static io.netty.buffer.ByteBuf bytes(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
