package dev.lockbroker.store.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this broker knows of each namespace's generations: the newest it has seen and its first
 * record, when it last saw that generation unsealed, and when it last appended. Forgetting a
 * namespace is always safe (it is read cold again), so the table keeps at most {@link #MAX_NAMESPACES}.
 *
 * <p>Thread-safe: the map is concurrent and each {@link State} guards its fields by its monitor
 * (no I/O under it); the activity fields are volatile hints for the idle sweep.
 */
final class Namespaces {
    static final int MAX_NAMESPACES = 16_384;

    /** A generation: its number and its first record (seq 0 and no bytes for generation 0). */
    @SuppressWarnings("ArrayRecordComponent") // compared with Arrays.equals where it matters, never by the record
    record Generation(long number, long firstSeq, byte[] firstBytes) {
        static final Generation ZERO = new Generation(0, 0, null);
    }

    /** One namespace as far as this broker knows it. */
    static final class State {
        private Generation generation;
        private long seenGeneration = -1;
        private long seenNanos;
        private long seenWallMillis;
        volatile long lastUseNanos;
        volatile long lastAppendNanos;
        volatile long newestSeq;

        private State(Generation generation, long nowNanos) {
            this.generation = generation;
            this.lastUseNanos = nowNanos;
            this.lastAppendNanos = nowNanos;
        }

        synchronized Generation generation() {
            return generation;
        }

        /** Moves to {@code newer} unless a newer generation is known already. */
        synchronized void advance(Generation newer) {
            if (newer.number() > generation.number()) {
                generation = newer;
            }
        }

        /**
         * Whether this broker saw generation {@code number} unsealed less than {@code freshMillis}
         * ago, on its monotonic clock and its wall clock both.
         */
        synchronized boolean sawRecently(long number, long nowNanos, long nowWallMillis, long freshMillis) {
            return number == seenGeneration
                    && nowNanos - seenNanos < freshMillis * 1_000_000
                    && nowWallMillis - seenWallMillis < freshMillis;
        }

        /** At some instant after {@code sinceNanos}/{@code sinceWallMillis}, generation {@code number} was not sealed. */
        synchronized void saw(long number, long sinceNanos, long sinceWallMillis) {
            seenGeneration = number;
            seenNanos = sinceNanos;
            seenWallMillis = sinceWallMillis;
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** The namespace's state, or null when this broker has not read it (or forgot it). */
    State find(String ns, long nowNanos) {
        State state = states.get(ns);
        if (state != null) {
            state.lastUseNanos = nowNanos;
        }
        return state;
    }

    /** The namespace's state, made from {@code generation} (just read cold) unless one exists. */
    State remember(String ns, Generation generation, long nowNanos) {
        State state = states.computeIfAbsent(ns, n -> new State(generation, nowNanos));
        state.advance(generation);
        if (states.size() > MAX_NAMESPACES) {
            forgetLeastRecentlyUsed(nowNanos);
        }
        return state;
    }

    /** A snapshot of the namespaces this broker knows, for the idle sweep. */
    List<Map.Entry<String, State>> snapshot() {
        return new ArrayList<>(states.entrySet());
    }

    private void forgetLeastRecentlyUsed(long nowNanos) {
        List<Map.Entry<String, State>> all = snapshot();
        all.sort(Comparator.comparingLong(e -> e.getValue().lastUseNanos - nowNanos)); // by subtraction: wraps
        all.subList(0, all.size() / 4).forEach(e -> states.remove(e.getKey(), e.getValue()));
    }
}
