package dev.lockbroker.core;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A summary of the (shard, mode) pairs of a set of locks within one namespace, enough to tell in
 * constant time whether a new lock conflicts with any of them.
 */
final class Footprint {
    private boolean anyExclusive;
    private boolean anyShared;
    private boolean wholeExclusive;
    private boolean wholeShared;
    private final Map<String, Mode> strongestByShard = new HashMap<>();

    void add(@Nullable String shard, Mode mode) {
        boolean exclusive = mode == Mode.EXCLUSIVE;
        anyExclusive |= exclusive;
        anyShared |= !exclusive;
        if (shard == null) {
            wholeExclusive |= exclusive;
            wholeShared |= !exclusive;
        } else if (exclusive) {
            strongestByShard.put(shard, Mode.EXCLUSIVE);
        } else {
            strongestByShard.putIfAbsent(shard, Mode.SHARED);
        }
    }

    boolean conflictsWith(@Nullable String shard, Mode mode) {
        boolean exclusive = mode == Mode.EXCLUSIVE;
        if (shard == null) {
            return exclusive ? anyExclusive || anyShared : anyExclusive;
        }
        Mode onShard = strongestByShard.get(shard);
        if (exclusive) {
            return wholeExclusive || wholeShared || onShard != null;
        }
        return wholeExclusive || onShard == Mode.EXCLUSIVE;
    }
}
