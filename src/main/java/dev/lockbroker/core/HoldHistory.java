package dev.lockbroker.core;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Recent hold times per key of one namespace, as an exponentially weighted mean, for queue ETAs.
 * Guarded by its namespace lock.
 */
final class HoldHistory {
    private static final double WEIGHT_OF_NEWEST = 0.3;
    private static final String WHOLE = "\u0000whole";
    private final Map<String, Double> meanMillisByShard = new HashMap<>();

    void record(@Nullable String shard, long holdMillis) {
        meanMillisByShard.merge(slot(shard), (double) holdMillis, (old, now) -> old + WEIGHT_OF_NEWEST * (now - old));
    }

    /** The mean hold of {@code shard}; empty while it has no history. */
    OptionalDouble meanMillis(@Nullable String shard) {
        Double mean = meanMillisByShard.get(slot(shard));
        return mean == null ? OptionalDouble.empty() : OptionalDouble.of(mean);
    }

    private static String slot(@Nullable String shard) {
        return shard == null ? WHOLE : shard;
    }
}
