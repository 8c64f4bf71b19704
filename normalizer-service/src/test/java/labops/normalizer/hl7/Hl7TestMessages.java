package labops.normalizer.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import labops.events.Environment;
import labops.normalizer.raw.RawRecord;

/** The messages the mapper tests read: the samples users send, the test corpus, and the raw record around them. */
final class Hl7TestMessages {

    private Hl7TestMessages() {
    }

    /** {@code message} as ingress would have stored it for tenant-a's sandbox. */
    static RawRecord raw(String message) {
        return new RawRecord("raw-1", "tenant-a", Environment.SANDBOX, "mllp", "127.0.0.1:5000",
                Instant.parse("2026-11-25T08:30:00Z"), message.getBytes(StandardCharsets.ISO_8859_1),
                "tenant-a|patient-hash");
    }

    /** A file of the repository's {@code samples/}, segments separated by CR. */
    static String sample(String name) {
        try {
            return Files.readString(Path.of("..", "samples", name), StandardCharsets.ISO_8859_1)
                    .replace("\r\n", "\r").replace('\n', '\r');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message of the test corpus ({@code src/test/resources/hl7}). */
    static String resource(String name) {
        try (InputStream in = Hl7TestMessages.class.getResourceAsStream("/hl7/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
