package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdTest {

    private static final Instant AT = Instant.parse("2026-12-07T08:00:00.123Z");

    @Test
    void aSourceSeenAgainGetsTheSameTaskIdAndAnotherSourceAnother() {
        UUID source = UUID.randomUUID();

        assertThat(Task.id(source, AT)).isEqualTo(Task.id(UUID.fromString(source.toString()), AT))
                .isNotEqualTo(Task.id(UUID.randomUUID(), AT));
    }

    @Test
    void idsFollowTheirSourcesTimeAsVersion7UuidsDo() {
        UUID earlier = Task.id(UUID.randomUUID(), AT);
        UUID later = Task.id(UUID.randomUUID(), AT.plusMillis(1));

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
        // PostgreSQL orders uuid bytes unsigned, as the string form does.
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }
}
