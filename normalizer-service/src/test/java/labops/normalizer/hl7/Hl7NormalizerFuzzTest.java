package labops.normalizer.hl7;

import static labops.normalizer.hl7.Hl7TestMessages.raw;
import static labops.normalizer.hl7.Hl7TestMessages.sample;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.testsupport.HostileInputs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes reach the HL7 normalizer, it answers precisely: canonical events, or an unmappable reason that names
 * fields and quotes no value. Never another exception (which the listener could only dead-letter as "processing
 * failed", telling nobody what to fix). Tries per run: {@code jqwik.tries} (300 in a build, the root pom;
 * {@code ./labops bench fuzz} runs many more).
 */
class Hl7NormalizerFuzzTest {

    private final Hl7Normalizer normalizer = new Hl7Normalizer();

    @Property
    void anyMutationOfASampleIsNormalizedOrUnmappableNeverAnotherFailure(@ForAll("messages") byte[] message) {
        RawRecord raw = raw(new String(message, StandardCharsets.ISO_8859_1));
        try {
            assertThat(normalizer.normalize(raw, MappingProfile.BUILT_IN)).isNotNull();
        } catch (UnmappableMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> messages() {
        return Arbitraries.oneOf(java.util.stream.Stream.of("orm-o01-v23.hl7", "oml-o21.hl7", "oru-r01.hl7",
                        "adt-a08.hl7", "adt-a40.hl7")
                .map(name -> HostileInputs.mutationsOf(sample(name).getBytes(StandardCharsets.ISO_8859_1))).toList());
    }
}
