package labops.testsupport;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * What a hostile or unlucky sender sends, as jqwik generators: random bytes biased toward the ones that break parsers
 * (MLLP framing, HL7 delimiters and escapes, control bytes, bytes that are not UTF-8), and mutations of a real sample
 * (truncated anywhere, bytes inserted or overwritten, a region repeated, a field emptied or made huge). Each property
 * test holds one input path to "an answer always comes back, and it is a precise one".
 */
public final class HostileInputs {

    /** Bytes that mean something to MLLP, ER7, JSON or CSV, or to a decoder. */
    private static final byte[] SPECIAL = {0x00, 0x01, 0x07, 0x09, 0x0A, 0x0B, 0x0D, 0x1B, 0x1C, 0x7F, '|', '^', '~',
            '\\', '&', '"', ',', '{', '}', '[', ']', ':', (byte) 0x80, (byte) 0xC3, (byte) 0xE2, (byte) 0xFF};

    private HostileInputs() {
    }

    /** One byte, half the time one of {@link #SPECIAL}. */
    public static Arbitrary<Byte> hostileByte() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(boxed(SPECIAL))));
    }

    /** Up to {@code maxSize} hostile bytes. */
    public static Arbitrary<byte[]> bytes(int maxSize) {
        return hostileByte().list().ofMaxSize(maxSize).map(HostileInputs::unboxed);
    }

    /** {@code sample} with one to three mutations, or (now and then) replaced by random bytes altogether. */
    public static Arbitrary<byte[]> mutationsOf(byte[] sample) {
        Arbitrary<byte[]> mutated = mutation().list().ofMinSize(1).ofMaxSize(3).map(mutations -> {
            byte[] out = sample;
            for (Mutation m : mutations) {
                out = m.apply(out);
            }
            return out;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, mutated),
                net.jqwik.api.Tuple.of(1, bytes(sample.length * 2)));
    }

    /** One change to a byte string, its positions as fractions of the string's length so they fit any length. */
    private record Mutation(int kind, double at, double to, byte[] inserted, int huge) {

        byte[] apply(byte[] in) {
            int p = (int) (at * in.length);
            int q = Math.max(p, (int) (to * in.length));
            return switch (kind) {
                case 0 -> Arrays.copyOf(in, p);
                case 1 -> concat(Arrays.copyOfRange(in, 0, p), inserted, Arrays.copyOfRange(in, p, in.length));
                case 2 -> concat(Arrays.copyOfRange(in, 0, p), inserted,
                        Arrays.copyOfRange(in, Math.min(in.length, p + inserted.length), in.length));
                case 3 -> concat(Arrays.copyOfRange(in, 0, q), Arrays.copyOfRange(in, p, q), Arrays.copyOfRange(in, q,
                        in.length));
                case 4 -> concat(Arrays.copyOfRange(in, 0, p), Arrays.copyOfRange(in, q, in.length));
                default -> {
                    byte[] filler = new byte[huge];
                    Arrays.fill(filler, (byte) 'x');
                    yield concat(Arrays.copyOfRange(in, 0, p), filler, Arrays.copyOfRange(in, p, in.length));
                }
            };
        }
    }

    private static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1),
                        Arbitraries.doubles().between(0, 1), bytes(8).filter(b -> b.length > 0),
                        Arbitraries.integers().between(1, 200_000))
                .as(Mutation::new);
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static Byte[] boxed(byte[] bytes) {
        Byte[] out = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i];
        }
        return out;
    }

    private static byte[] unboxed(List<Byte> bytes) {
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
