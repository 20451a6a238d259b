package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseEntry;
import dev.lockbroker.core.LeaseRecord;
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

    /** A life that retirement may end: its generation, newest record and largest token. */
    record Retirable(Generation generation, long newestSeq, long lastToken) {}

    /** One namespace as far as this broker knows it. */
    static final class State {
        private Generation generation;
        private long seenGeneration = -1;
        private long seenNanos;
        private long seenWallMillis;
        volatile long lastUseNanos;
        volatile long lastAppendNanos;
        volatile long newestSeq;
        private long describedSeq;
        private long describedLastToken;
        private long describedMaxTtlMillis;
        private long describedSinceNanos;

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

        /**
         * Notes that {@code record}, the newest this broker knows, existed at {@code nowNanos}: what
         * retirement needs to know of it (its token and how long its leases could last).
         */
        synchronized void described(LeaseRecord record, long nowNanos) {
            if (record.seq() > describedSeq) {
                describedSeq = record.seq();
                describedLastToken = record.lastToken();
                describedMaxTtlMillis = record.leases().stream()
                        .mapToLong(LeaseEntry::ttlMillis)
                        .max()
                        .orElse(0);
                describedSinceNanos = nowNanos;
            }
        }

        /**
         * The newest record's number and token when it is {@link #newestSeq}, has stood newest for
         * {@code idleNanos} and longer than any lease in it can be believed held, else null. A lease
         * heartbeated without a new record lasts at most 1.5 × its TTL after its record was written
         * (a renewal is written once heartbeats pass half a TTL), plus 1 s and 5 % for clock rates.
         * {@code force} skips both waits (tests that retire on purpose).
         */
        synchronized Retirable retirable(long nowNanos, long idleNanos, boolean force) {
            long leaseNanos = (describedMaxTtlMillis * 3 / 2 + 1_000) * 1_050_000;
            long since = nowNanos - describedSinceNanos;
            boolean idle = force || (nowNanos - lastUseNanos >= idleNanos && since >= idleNanos && since > leaseNanos);
            boolean holdsObjects = generation.number() > 0 || describedSeq > generation.firstSeq();
            return idle && describedSeq == newestSeq && holdsObjects
                    ? new Retirable(generation, describedSeq, describedLastToken)
                    : null;
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

    /** Forgets a life that was retired. */
    void forget(String ns) {
        states.remove(ns);
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
