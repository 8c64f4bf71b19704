package labops.bench;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Throughput ratios of two targets measured in paired rounds (one slice of each, back to back). On a shared machine
 * one round says little; many say how sure a "faster" or "slower" is. The summary is the geometric mean of the
 * ratios with a 95% confidence interval (Student's t on their logarithms: a ratio and its inverse weigh alike), how
 * many rounds the first target won, and the median and range.
 */
record PairedRatios(List<Double> ratios) {

    PairedRatios {
        ratios = List.copyOf(ratios);
        if (ratios.isEmpty()) {
            throw new IllegalArgumentException("no rounds");
        }
    }

    double geometricMean() {
        return Math.exp(logs().getMean());
    }

    /** The 95% interval of the geometric mean; as wide as the ratios' range when there is a single round. */
    double[] confidence95() {
        var logs = logs();
        if (logs.getN() < 2) {
            return new double[] {min(), max()};
        }
        double t = new TDistribution(logs.getN() - 1).inverseCumulativeProbability(0.975);
        double half = t * logs.getStandardDeviation() / Math.sqrt(logs.getN());
        return new double[] {Math.exp(logs.getMean() - half), Math.exp(logs.getMean() + half)};
    }

    long wins() {
        return ratios.stream().filter(r -> r > 1.0).count();
    }

    double median() {
        return new DescriptiveStatistics(ratios.stream().mapToDouble(Double::doubleValue).toArray()).getPercentile(50);
    }

    double min() {
        return ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double max() {
        return ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /** E.g. {@code geometric mean 0.97x (95% CI 0.93-1.01x), ahead in 9 of 24 rounds, median 0.96x, 0.71-1.30x}. */
    String summary() {
        double[] ci = confidence95();
        return String.format("geometric mean %.2fx (95%% CI %.2f-%.2fx), ahead in %d of %d rounds, median %.2fx, "
                + "%.2f-%.2fx", geometricMean(), ci[0], ci[1], wins(), ratios.size(), median(), min(), max());
    }

    private DescriptiveStatistics logs() {
        return new DescriptiveStatistics(ratios.stream().mapToDouble(Math::log).toArray());
    }
}
