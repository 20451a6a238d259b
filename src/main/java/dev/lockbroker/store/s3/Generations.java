package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import dev.lockbroker.store.s3.Namespaces.Generation;
import dev.lockbroker.store.s3.Namespaces.State;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The generation steps of the S3 log (README, "Bounded growth"): finding a namespace's newest
 * generation, reading the newest record in one, the seal check that every claimed write and every
 * read ends with, and the compaction steps (announce, seal, copy, delete).
 *
 * <p>The seal check: an operation on generation g counts only if, after it took effect, the marker
 * of g+1 was absent. A writer skips the HEAD while it is "clear": it saw no announcement of g+1
 * at a time t0 and the operation returned before t0 + clear window, on its monotonic clock and its
 * wall clock both. A compactor creates the marker no sooner than the seal delay (≥ 2 × the window)
 * after the announcement exists, so the operation took effect before the marker. A paused writer
 * misses the window and checks; announcements and markers are never deleted.
 *
 * <p>Thread-safe and stateless beyond {@link Namespaces}; every call is plain S3 I/O.
 */
final class Generations {
    /** What the seal check found for generation g. */
    enum Seal {
        /** No announcement of g+1: nothing sealed, and the clear window restarts. */
        CLEAR,
        /** g+1 is announced but not sealed yet: the operation counts; the seal should follow. */
        ANNOUNCED,
        /** The marker of g+1 exists: the operation may have come too late and does not count by itself. */
        SEALED
    }

    /** A record of a sealed generation vanished while it was read: the generation is being deleted. */
    static final class VanishedException extends RuntimeException {
        VanishedException(String key) {
            super("S3 record " + key + " vanished after it was seen", null, false, false);
        }
    }

    private final ObjectStore objects;
    private final LogKeys keys;
    private final CompactionSettings settings;
    private final Clock clock;
    private final Namespaces namespaces;

    Generations(ObjectStore objects, LogKeys keys, CompactionSettings settings, Clock clock, Namespaces namespaces) {
        this.objects = objects;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.namespaces = namespaces;
    }

    /** A namespace as a call finds it: its state and, when read cold, record 1 of generation 0. */
    record Opened(State state, boolean cold, Optional<byte[]> birth) {
        /** Read cold and without records: nothing was ever written, so nothing was ever sealed. */
        boolean isEmpty() {
            return cold && birth.isEmpty();
        }
    }

    /**
     * Reads a namespace this broker does not know. Record 1 of generation 0 is never deleted and
     * exists before any announcement, so its absence proves a namespace without records or seals.
     */
    private Opened openCold(String ns) {
        long startNanos = clock.nanoTime();
        long startWallMillis = clock.wallMillis();
        Optional<byte[]> birth = objects.read(keys.record(ns, 0, 1));
        State state = namespaces.remember(ns, Generation.ZERO, startNanos);
        if (birth.isEmpty()) {
            clear(state, 0, startNanos, startWallMillis);
        }
        return new Opened(state, true, birth);
    }

    /** The namespace's state; when this broker does not know it, generation 0 until a check says otherwise. */
    State known(String ns) {
        long nowNanos = clock.nanoTime();
        State state = namespaces.find(ns, nowNanos);
        return state != null ? state : namespaces.remember(ns, Generation.ZERO, nowNanos);
    }

    /**
     * Record 1 of generation 0 was created by this call, which started at these instants: no
     * announcement precedes the first record, so nothing was sealed, and the window runs from then.
     */
    void born(State state, long startNanos, long startWallMillis) {
        clear(state, 0, startNanos, startWallMillis);
    }

    /** The namespace, read cold when this broker does not know it. */
    Opened open(String ns) {
        State state = namespaces.find(ns, clock.nanoTime());
        return state != null ? new Opened(state, false, Optional.empty()) : openCold(ns);
    }

    /**
     * The newest record above {@code afterSeq} in generation {@code g}, or empty when there is none;
     * {@code knownNext} is record afterSeq+1 when already read. Gallops with HEADs as records have no
     * gaps within a generation.
     */
    Optional<byte[]> newestIn(String ns, Generation g, long afterSeq, Optional<byte[]> knownNext) {
        if (afterSeq < g.firstSeq()) {
            long first = g.firstSeq();
            long highest = GallopingSearch.highestFrom(first, n -> objects.exists(keys.record(ns, g.number(), n)));
            return Optional.of(highest == first ? g.firstBytes() : readRecord(ns, g.number(), highest));
        }
        long next = afterSeq + 1;
        Optional<byte[]> nextBytes =
                knownNext.isPresent() ? knownNext : objects.read(keys.record(ns, g.number(), next));
        if (nextBytes.isEmpty()) {
            return Optional.empty();
        }
        long highest = GallopingSearch.highestFrom(next, n -> objects.exists(keys.record(ns, g.number(), n)));
        return Optional.of(highest == next ? nextBytes.get() : readRecord(ns, g.number(), highest));
    }

    /** The seal check for an operation on generation {@code number} that has just returned. */
    Seal check(String ns, State state, long number) {
        long nowNanos = clock.nanoTime();
        long nowWallMillis = clock.wallMillis();
        if (!settings.sealChecks() || state.isClear(number, nowNanos, nowWallMillis)) {
            return Seal.CLEAR;
        }
        if (!objects.exists(keys.announcement(ns, number + 1))) {
            clear(state, number, nowNanos, nowWallMillis);
            return Seal.CLEAR;
        }
        return objects.exists(keys.marker(ns, number + 1)) ? Seal.SEALED : Seal.ANNOUNCED;
    }

    /** The newest generation, given that generation {@code sealed} is sealed; finishes its first record. */
    Generation newest(String ns, State state, long sealed) {
        long top = GallopingSearch.highestFrom(sealed + 1, g -> objects.exists(keys.marker(ns, g)));
        state.advance(firstOf(ns, top));
        return state.generation();
    }

    /** Generation {@code number} ≥ 1, whose marker exists, with its first record (copied here if missing). */
    Generation firstOf(String ns, long number) {
        Optional<byte[]> first = objects.read(keys.first(ns, number));
        if (first.isEmpty()) {
            copyNewestInto(ns, number);
            first = objects.read(keys.first(ns, number));
        }
        byte[] bytes = first.orElseThrow(
                () -> new StoreUnavailableException("S3 generation " + number + " of " + ns + " has no first record"));
        return new Generation(number, RecordCodec.decode(bytes).seq(), bytes);
    }

    /** Creates the announcement of generation {@code number}; the seal may follow a seal delay later. */
    void announce(String ns, long number) {
        objects.createIfAbsent(keys.announcement(ns, number), note(number));
    }

    /**
     * Seals generation {@code number - 1}: its marker, then the first record of {@code number},
     * then deletes what the sealed generation holds (at most {@code maxDeletes} objects) except
     * record 1 of generation 0. Returns the objects deleted.
     */
    int seal(String ns, long number, int maxDeletes) {
        objects.createIfAbsent(keys.marker(ns, number), note(number));
        State state = namespaces.remember(ns, Generation.ZERO, clock.nanoTime());
        state.advance(firstOf(ns, number));
        long sealed = number - 1;
        String birth = keys.record(ns, 0, 1);
        List<String> doomed = objects.keysUnder(keys.generationPrefix(ns, sealed), sealed == 0, maxDeletes + 1).stream()
                .filter(k -> !k.equals(birth))
                .limit(maxDeletes)
                .toList();
        objects.deleteAll(doomed);
        return doomed.size();
    }

    /**
     * The step after a marker: copies the newest record of the previous generation, read now (after
     * the marker exists), create-only; racers copy the same record or lose. When the previous
     * generation's first record is gone, another broker finished the step and deleted it.
     */
    private void copyNewestInto(String ns, long number) {
        Generation previous;
        if (number == 1) {
            previous = Generation.ZERO;
        } else {
            Optional<byte[]> first = objects.read(keys.first(ns, number - 1));
            if (first.isEmpty()) {
                return;
            }
            previous =
                    new Generation(number - 1, RecordCodec.decode(first.get()).seq(), first.get());
        }
        Optional<byte[]> newest;
        try {
            newest = newestIn(ns, previous, previous.firstSeq(), Optional.empty());
        } catch (VanishedException e) {
            return;
        }
        byte[] copy = newest.orElse(previous.firstBytes());
        if (copy != null) {
            objects.createIfAbsent(keys.first(ns, number), copy);
        }
    }

    private byte[] readRecord(String ns, long number, long seq) {
        String key = keys.record(ns, number, seq);
        return objects.read(key).orElseThrow(() -> new VanishedException(key));
    }

    private void clear(State state, long number, long sinceNanos, long sinceWallMillis) {
        long windowMillis = settings.clearWindow().toMillis();
        state.clearUntil(number, sinceNanos + windowMillis * 1_000_000, sinceWallMillis + windowMillis);
    }

    private static byte[] note(long number) {
        return ("{\"generation\":" + number + "}").getBytes(StandardCharsets.UTF_8);
    }
}
