package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import dev.lockbroker.store.s3.Namespaces.Generation;
import dev.lockbroker.store.s3.Namespaces.State;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The generation steps of the S3 log (README, "Bounded growth"). A compactor seals generation g
 * in the log itself: it creates record n+1 of g, create-only, as a seal that names g+1, after
 * reading n as the newest; then the marker {@code gen/{g+1}} (never deleted) and {@code
 * g{g+1}/first}, a copy of n; and only a delete delay later deletes g. Whoever meets the seal (a writer's 412,
 * a reader's gallop) finishes the same steps, which create identical objects or lose.
 *
 * <p>The seal check: an operation on g counts by itself when this broker saw g unsealed less than
 * half the delete delay ago; nothing of g can be deleted before then, so a create made a new record
 * and a read saw every object of g, seal included.
 * Otherwise (a paused or idle writer) it counts only if the marker of g+1 was absent after it took
 * effect (one HEAD): absent, nothing of g was deleted yet.
 *
 * <p>Thread-safe and stateless beyond {@link Namespaces}; every call is plain S3 I/O.
 */
final class Generations {
    private static final byte[] SEAL_PREFIX = "{\"sealedInto\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RETIRE_PREFIX = "{\"retiredInto\":".getBytes(StandardCharsets.UTF_8);

    /** A record of a sealed generation vanished while it was read: the generation is being deleted. */
    static final class VanishedException extends RuntimeException {
        VanishedException(String key) {
            super("S3 record " + key + " vanished after it was seen", null, false, false);
        }
    }

    private final ObjectStore objects;
    private final RecordObjects records;
    private final LogKeys keys;
    private final CompactionSettings settings;
    private final Clock clock;
    private final Namespaces namespaces;

    Generations(ObjectStore objects, LogKeys keys, CompactionSettings settings, Clock clock, Namespaces namespaces) {
        this.objects = objects;
        this.records = new RecordObjects(objects);
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.namespaces = namespaces;
    }

    /** Whether {@code bytes} are a seal (into a generation, or a retirement) rather than a lease record. */
    static boolean isSeal(byte[] bytes) {
        return startsWith(bytes, SEAL_PREFIX) || startsWith(bytes, RETIRE_PREFIX);
    }

    /** The epoch a retirement seal names ({@link Epochs}); empty for anything else. */
    static OptionalLong retiredInto(byte[] bytes) {
        if (!startsWith(bytes, RETIRE_PREFIX)) {
            return OptionalLong.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return OptionalLong.of(Long.parseLong(text.substring(RETIRE_PREFIX.length, text.length() - 1)));
    }

    /** The seal that ends a life if marker {@code epoch} lists it. */
    static byte[] retirementSeal(long epoch) {
        return ("{\"retiredInto\":" + epoch + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length > prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** A namespace as a call finds it: its state and, when read cold, record 1 of generation 0. */
    record Opened(State state, boolean cold, Optional<byte[]> birth) {
        /** Read cold and without records: nothing was ever written, so nothing was ever sealed. */
        boolean isEmpty() {
            return cold && birth.isEmpty();
        }
    }

    /** The state of a life; when this broker does not know it, {@code initial} until a check says otherwise. */
    State known(String ns, Generation initial) {
        long nowNanos = clock.nanoTime();
        State state = namespaces.find(ns, nowNanos);
        return state != null ? state : namespaces.remember(ns, initial, nowNanos);
    }

    /**
     * A life of a namespace, read cold when this broker does not know it. The record after {@code
     * initial}'s first (record 1 of life 0) stays while the life does and precedes every seal, so its
     * absence proves a life without records or seals.
     */
    Opened open(String ns, Generation initial) {
        long startNanos = clock.nanoTime();
        long startWallMillis = clock.wallMillis();
        State known = namespaces.find(ns, startNanos);
        if (known != null) {
            return new Opened(known, false, Optional.empty());
        }
        Optional<byte[]> birth = objects.read(keys.record(ns, 0, initial.firstSeq() + 1));
        State state = namespaces.remember(ns, initial, startNanos);
        if (birth.isEmpty()) {
            state.saw(0, startNanos, startWallMillis);
        }
        return new Opened(state, true, birth);
    }

    /**
     * The newest object above {@code afterSeq} in generation {@code g} (a record or the seal), or
     * empty when there is none; {@code knownNext} is object afterSeq+1 when already read. Gallops
     * with HEADs as a generation has no gaps.
     */
    Optional<Found> newestIn(String ns, Generation g, long afterSeq, Optional<byte[]> knownNext) {
        if (afterSeq < g.firstSeq()) {
            long first = g.firstSeq();
            long highest = GallopingSearch.highestFrom(first, n -> objects.exists(keys.record(ns, g.number(), n)));
            return Optional.of(new Found(highest, highest == first ? g.firstBytes() : read(ns, g.number(), highest)));
        }
        long next = afterSeq + 1;
        Optional<byte[]> nextBytes =
                knownNext.isPresent() ? knownNext : objects.read(keys.record(ns, g.number(), next));
        if (nextBytes.isEmpty()) {
            return Optional.empty();
        }
        long highest = GallopingSearch.highestFrom(next, n -> objects.exists(keys.record(ns, g.number(), n)));
        return Optional.of(new Found(highest, highest == next ? nextBytes.get() : read(ns, g.number(), highest)));
    }

    /** An object of a generation: its number and content (a record or a seal). */
    record Found(long seq, byte[] bytes) {
        boolean isSeal() {
            return Generations.isSeal(bytes);
        }
    }

    /** The seal check for an operation on generation {@code number} that has just returned: whether it counts. */
    boolean isUnsealed(String ns, State state, long number) {
        if (!settings.sealChecks()) {
            return true;
        }
        long nowNanos = clock.nanoTime();
        long nowWallMillis = clock.wallMillis();
        return state.sawRecently(number, nowNanos, nowWallMillis, settings.freshMillis())
                || !objects.exists(keys.marker(ns, number + 1));
    }

    /**
     * The newest generation, given that generation {@code sealed} is sealed ({@code sawSeal}: its
     * seal was just seen, so its marker may still be missing). Finishes the newest generation's
     * first record when missing: its predecessor is intact until that record exists.
     */
    Generation newest(String ns, State state, long sealed, boolean sawSeal) {
        if (sawSeal) {
            objects.createIfAbsent(keys.marker(ns, sealed + 1), seal(sealed + 1));
        }
        long top = GallopingSearch.highestFrom(sealed + 1, g -> objects.exists(keys.marker(ns, g)));
        Optional<byte[]> first = objects.read(keys.first(ns, top));
        if (first.isEmpty()) {
            copyBeforeSeal(ns, top);
            first = objects.read(keys.first(ns, top));
        }
        byte[] bytes = first.orElseThrow(
                () -> new StoreUnavailableException("S3 generation " + top + " of " + ns + " has no first record"));
        state.advance(new Generation(top, RecordCodec.decode(bytes).seq(), bytes));
        return state.generation();
    }

    /**
     * Seals generation {@code g}: the seal after its newest record, then the next generation's first
     * record and marker. Returns false when a writer kept winning the number the seal wanted.
     */
    boolean seal(String ns, Generation g, int attempts) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            Optional<Found> newest = newestIn(ns, g, Math.max(0, g.firstSeq() - 1), Optional.empty());
            if (newest.isEmpty() || retiredInto(newest.get().bytes()).isPresent()) {
                return false; // generation 0 without records, or a retirement that its marker decides
            }
            if (newest.get().isSeal()
                    || objects.createIfAbsent(
                            keys.record(ns, g.number(), newest.get().seq() + 1), seal(g.number() + 1))) {
                newest(ns, namespaces.remember(ns, g, clock.nanoTime()), g.number(), true);
                return true;
            }
        }
        return false;
    }

    /**
     * Seals generation {@code g} right after record {@code seq}, which this broker has just written
     * and claimed, so no racer of its own can take the number: the seal, the marker and the next
     * generation's first record (a copy of {@code bytes}). Returns false when another broker won the
     * number first; then nothing is sealed. A 412 on our own bytes (a retried PUT whose first attempt
     * landed) is our seal, so the generation is still deleted later; another broker's seal of the same
     * number has the same bytes and the same effect, since record {@code seq} is ours either way.
     */
    boolean sealAfter(String ns, State state, Generation g, long seq, byte[] bytes) {
        if (!records.append(keys.record(ns, g.number(), seq + 1), seal(g.number() + 1))) {
            return false;
        }
        long next = g.number() + 1;
        objects.createIfAbsent(keys.marker(ns, next), seal(next));
        long startNanos = clock.nanoTime();
        long startWallMillis = clock.wallMillis();
        boolean created =
                objects.createIfAbsent(keys.first(ns, next), bytes); // only our own create proves the generation empty
        state.advance(new Generation(next, seq, bytes));
        if (created) {
            state.saw(next, startNanos, startWallMillis); // just begun: nothing can seal it before its first record
        }
        return true;
    }

    /** Deletes what sealed generation {@code sealed} holds (at most {@code max}) except record 1 of generation 0. */
    int deleteSealed(String ns, long sealed, int max) {
        String birth = keys.record(ns, 0, 1);
        List<String> doomed = objects.keysUnder(keys.generationPrefix(ns, sealed), sealed == 0, max + 1).stream()
                .filter(k -> !k.equals(birth))
                .limit(max)
                .toList();
        objects.deleteAll(doomed);
        return doomed.size();
    }

    /**
     * Creates the first record of generation {@code number} as a copy of the record before the seal
     * of its predecessor. When the predecessor's first record is gone, another broker did so and
     * the predecessor is being deleted.
     */
    private void copyBeforeSeal(String ns, long number) {
        Generation previous = Generation.ZERO;
        if (number > 1) {
            Optional<byte[]> first = objects.read(keys.first(ns, number - 1));
            if (first.isEmpty()) {
                return;
            }
            previous =
                    new Generation(number - 1, RecordCodec.decode(first.get()).seq(), first.get());
        }
        try {
            Found seal = newestIn(ns, previous, Math.max(0, previous.firstSeq() - 1), Optional.empty())
                    .filter(Found::isSeal)
                    .orElseThrow(() -> new StoreUnavailableException(
                            "S3 generation " + number + " of " + ns + " is marked but its predecessor has no seal"));
            long last = seal.seq() - 1;
            byte[] copy = last == previous.firstSeq() ? previous.firstBytes() : read(ns, previous.number(), last);
            objects.createIfAbsent(keys.first(ns, number), copy);
        } catch (VanishedException e) {
            // deleted under us: the first record exists, as deletion starts only after it does
        }
    }

    private byte[] read(String ns, long number, long seq) {
        String key = keys.record(ns, number, seq);
        return objects.read(key).orElseThrow(() -> new VanishedException(key));
    }

    private static byte[] seal(long into) {
        return ("{\"sealedInto\":" + into + "}").getBytes(StandardCharsets.UTF_8);
    }
}
