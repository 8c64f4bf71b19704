package labops.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import javax.net.SocketFactory;

/** A hospital interface engine at the socket level: frames bytes exactly as given, reads one ACK. */
public final class MllpPeer {

    private MllpPeer() {
    }

    public static Ack send(int port, byte[] message) throws IOException {
        return send(SocketFactory.getDefault(), port, message);
    }

    /** Over sockets from {@code sockets}, e.g. TLS sockets trusting the endpoint's certificate. */
    public static Ack send(SocketFactory sockets, int port, byte[] message) throws IOException {
        try (var socket = sockets.createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(frame(message));
            out.flush();
            return new Ack(readFrame(socket.getInputStream()));
        }
    }

    /**
     * Writes {@code bytes} exactly as given (frames, junk between them, broken framing) and reads {@code acks} frames
     * back; the sender closes its side only after that.
     */
    public static java.util.List<Ack> exchange(int port, byte[] bytes, int acks) throws IOException {
        try (var socket = SocketFactory.getDefault().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            var answers = new java.util.ArrayList<Ack>();
            for (int i = 0; i < acks; i++) {
                answers.add(new Ack(readFrame(socket.getInputStream())));
            }
            return answers;
        }
    }

    /** One connection kept open for message after message, as an interface engine keeps it. */
    public static final class Connection implements AutoCloseable {

        private final java.net.Socket socket;

        public Connection(int port) throws IOException {
            socket = SocketFactory.getDefault().createSocket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
        }

        /** Sends one message and waits for its ACK. */
        public Ack send(byte[] message) throws IOException {
            socket.getOutputStream().write(frame(message));
            socket.getOutputStream().flush();
            return new Ack(readFrame(socket.getInputStream()));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** {@code message} in an MLLP frame. */
    public static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = 0x0B;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = 0x1C;
        framed[framed.length - 1] = 0x0D;
        return framed;
    }

    private static String readFrame(InputStream in) throws IOException {
        var buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != 0x0B) {
            // skip to the start block
        }
        while ((b = in.read()) != -1 && b != 0x1C) {
            buffer.write(b);
        }
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }

    /** An HL7 ACK read by segment and field position. */
    public record Ack(String text) {

        public String field(String segment, int field) {
            return segment(segment).map(s -> s.length > field ? s[field] : "").orElse("");
        }

        public Optional<String[]> segment(String name) {
            return Arrays.stream(text.split("\r")).filter(s -> s.startsWith(name + "|"))
                    .map(s -> s.split("\\|", -1)).findFirst();
        }
    }
}
