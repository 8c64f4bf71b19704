package labops.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import labops.schemas.topic.Topics;

/**
 * Each consumer group of the message path, sampled once a window: its lag and how far it has consumed. Names the
 * bottleneck: the group whose consumption rate falls short of the offered rate, or whose lag still grows in the last
 * third of a run (then the run is not steady, and its latency percentiles describe a queue, not the service).
 */
final class GroupProgress {

    /** The groups, each with the topics it consumes on the message path. */
    static final Map<String, List<String>> GROUPS = groups();

    private final ConsumerLag kafka;
    private final Map<String, List<Long>> lags = new LinkedHashMap<>();
    private final Map<String, Long> consumedAtStart = new LinkedHashMap<>();

    GroupProgress(ConsumerLag kafka) throws ExecutionException, InterruptedException {
        this.kafka = kafka;
        for (String group : GROUPS.keySet()) {
            lags.put(group, new ArrayList<>());
            consumedAtStart.put(group, consumed(group));
        }
    }

    /** Takes a sample; answers each group's lag now. */
    Map<String, Long> sample() throws ExecutionException, InterruptedException {
        var now = lags(kafka);
        now.forEach((group, lag) -> lags.get(group).add(lag));
        return now;
    }

    /** Each group's lag now, without taking a sample. */
    static Map<String, Long> lags(ConsumerLag kafka) throws ExecutionException, InterruptedException {
        var now = new LinkedHashMap<String, Long>();
        for (String group : GROUPS.keySet()) {
            long lag = 0;
            for (String topic : GROUPS.get(group)) {
                lag += kafka.of(group, topic);
            }
            now.put(group, lag);
        }
        return now;
    }

    /** Records each group consumed per second since this run began. */
    Map<String, Double> consumedPerSecond(double seconds) throws ExecutionException, InterruptedException {
        var rates = new LinkedHashMap<String, Double>();
        for (String group : GROUPS.keySet()) {
            rates.put(group, (consumed(group) - consumedAtStart.get(group)) / seconds);
        }
        return rates;
    }

    /**
     * Why the run was not steady, or null: a group whose lag grew in the last third of the run by more than a second
     * of the offered traffic.
     */
    String notSteady(int rate) {
        var growing = new ArrayList<String>();
        lags.forEach((group, samples) -> {
            if (samples.size() < 3) {
                return;
            }
            long from = samples.get(samples.size() - 1 - samples.size() / 3);
            long to = samples.get(samples.size() - 1);
            if (to - from > rate) {
                growing.add(String.format("%s lag %,d -> %,d", group, from, to));
            }
        });
        return growing.isEmpty() ? null : "not steady: " + String.join(", ", growing) + " in the last third";
    }

    private long consumed(String group) throws ExecutionException, InterruptedException {
        long sum = 0;
        for (String topic : GROUPS.get(group)) {
            sum += kafka.consumed(group, topic);
        }
        return sum;
    }

    private static Map<String, List<String>> groups() {
        var groups = new LinkedHashMap<String, List<String>>();
        groups.put("normalizer", List.of(Topics.RAW_HL7V2));
        groups.put("workflow", List.of(Topics.CANONICAL_ORDERS));
        groups.put("audit", List.of(Topics.RAW_HL7V2, Topics.AUDIT_DECISIONS));
        return java.util.Collections.unmodifiableMap(groups);
    }
}
