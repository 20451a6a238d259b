package dev.lockbroker.bench.published;

import java.util.LinkedHashMap;
import java.util.Map;

/** Everything one run measured, keyed by system name (in the order the systems were run). */
final class Results {
    long[] rawPutNanos = new long[0];
    long rawPutStoreCpuMillis;
    final Map<String, Scenarios.Uncontended> uncontended = new LinkedHashMap<>();
    /** System → client count → run. */
    final Map<String, Map<Integer, Scenarios.Contended>> oneKey = new LinkedHashMap<>();

    final Map<String, Scenarios.Contended> manyKeys = new LinkedHashMap<>();
    final Map<String, Scenarios.Scene> scene = new LinkedHashMap<>();
    final Map<String, Long> orphanMillis = new LinkedHashMap<>();
    final Map<String, String> failures = new LinkedHashMap<>();

    double rawPutP50() {
        return Stats.percentileMillis(rawPutNanos, 50);
    }
}
