package labops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedRatiosTest {

    @Test
    void aRatioAndItsInverseCancelInTheGeometricMean() {
        var ratios = new PairedRatios(List.of(2.0, 0.5, 1.25, 0.8));

        assertThat(ratios.geometricMean()).isCloseTo(1.0, within(1e-9));
        assertThat(ratios.wins()).isEqualTo(2);
        assertThat(ratios.median()).isCloseTo(1.025, within(1e-9));
    }

    @Test
    void theIntervalIsStudentsTOnTheLogarithms() {
        // logs 0, ln 1.1, ln 1.21: mean ln 1.1, sd ln 1.1; t(0.975, 2 df) = 4.302653.
        var ratios = new PairedRatios(List.of(1.0, 1.1, 1.21));
        double half = 4.302653 * Math.log(1.1) / Math.sqrt(3);

        assertThat(ratios.geometricMean()).isCloseTo(1.1, within(1e-9));
        assertThat(ratios.confidence95()[0]).isCloseTo(1.1 * Math.exp(-half), within(1e-6));
        assertThat(ratios.confidence95()[1]).isCloseTo(1.1 * Math.exp(half), within(1e-6));
    }

    @Test
    void consistentRoundsGiveANarrowIntervalThatExcludesParity() {
        var ratios = new PairedRatios(List.of(0.95, 0.96, 0.94, 0.95, 0.97, 0.93, 0.95, 0.96));

        assertThat(ratios.confidence95()[1]).isLessThan(1.0);
        assertThat(ratios.summary()).startsWith("geometric mean 0.95x (95% CI 0.94-0.96x), ahead in 0 of 8 rounds");
    }

    @Test
    void oneRoundHasNoIntervalBeyondItself() {
        var ratios = new PairedRatios(List.of(1.2));

        assertThat(ratios.confidence95()).containsExactly(1.2, 1.2);
    }
}
