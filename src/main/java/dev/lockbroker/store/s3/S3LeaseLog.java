package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import dev.lockbroker.store.s3.Epochs.Life;
import dev.lockbroker.store.s3.Namespaces.Generation;
import dev.lockbroker.store.s3.Namespaces.State;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The S3 store: one object per record, created with {@code If-None-Match: *}, in generations that
 * compaction seals with markers that are never deleted ({@link Generations}), and in lives that
 * retirement of an idle namespace ends with a bucket-wide marker ({@link Epochs}, {@link Retirer};
 * README, "Bounded growth"). Correctness rests on create-if-absent alone: no conditional overwrite,
 * and a deleted record a stale writer recreates never counts, because a write counts only if its
 * generation was not sealed and its life not retired when it took effect.
 *
 * <p>Thread-safe: any number of threads may call at once, and a second broker on the same bucket is
 * just another writer racing for numbers (and perhaps another compactor).
 */
public final class S3LeaseLog implements LeaseLog {
    /** Generations one call follows before giving up; each is a compaction that raced the call. */
    private static final int MAX_HOPS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(S3LeaseLog.class);

    private final S3Connection connection;
    private final ObjectStore objects;
    private final LogKeys keys;
    private final Generations generations;
    private final Compactor compactor;
    private final Epochs epochs;
    private final Retirer retirer;
    private final CompactionSettings compaction;
    private final Clock clock = Clock.SYSTEM;

    private S3LeaseLog(S3Connection connection, S3Settings settings, CompactionSettings compaction) {
        this.connection = connection;
        this.objects = connection.objects();
        this.keys = new LogKeys(settings.rootKey());
        this.compaction = compaction;
        Namespaces namespaces = new Namespaces();
        this.generations = new Generations(objects, keys, compaction, clock, namespaces);
        this.compactor = new Compactor(generations, namespaces, compaction, clock);
        this.epochs = new Epochs(objects, settings.retiredKey(), clock, compaction.retireChecks());
        this.retirer = new Retirer(objects, keys, generations, namespaces, epochs, compaction, clock);
    }

    /** Opens the store with credentials from the AWS default chain (environment, profile, role...). */
    public static S3LeaseLog open(S3Settings settings) {
        return open(settings, DefaultCredentialsProvider.builder().build());
    }

    /** Opens the store with the default compaction. */
    public static S3LeaseLog open(S3Settings settings, AwsCredentialsProvider credentials) {
        return open(settings, credentials, CompactionSettings.DEFAULTS);
    }

    /**
     * Opens the store: the bucket must exist (or is created when {@code settings.createBucket()}),
     * and the store must prove it enforces create-if-absent, else {@link IllegalStateException}.
     */
    public static S3LeaseLog open(
            S3Settings settings, AwsCredentialsProvider credentials, CompactionSettings compaction) {
        S3Connection connection = S3Connection.open(settings, credentials);
        try {
            StoreCheck.run(connection.objects(), connection.s3(), settings);
            return new S3LeaseLog(connection, settings, compaction);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The S3 requests this log has sent, every attempt and background work included, by kind (put, get, list...). */
    public Map<String, LongSupplier> requestCounts() {
        return connection.http().counts();
    }

    /** Opens the store without the start-up check, for tests that open many logs on a proven server. */
    static S3LeaseLog openUnchecked(
            S3Settings settings, AwsCredentialsProvider credentials, CompactionSettings compaction) {
        return new S3LeaseLog(S3Connection.open(settings, credentials), settings, compaction);
    }

    /**
     * Creates the record in the namespace's current life, in its newest known generation. It counts
     * when that generation was unsealed and that life not retired as the create took effect: this
     * broker saw both recently, or else the marker of the next generation is absent (one HEAD) and
     * no newer retirement marker exists (one GET). On 412 with our own bytes the SDK retried a PUT
     * whose first attempt landed, and the same applies; a seal in our place moves the write to the
     * next generation, a retirement to the next life (whose first record then answers). Sealed after
     * all: when the next generation starts at the preceding record, no copy holds ours and it is
     * written again there; when its first record is ours, it counts; when it is newer, whether ours
     * counts shows only in the log, so the call fails and the core treats its grants as unknown
     * until it reads.
     */
    @Override
    public boolean append(String namespace, LeaseRecord record) {
        byte[] bytes = RecordCodec.encode(record);
        long seq = record.seq();
        Life life = epochs.life(namespace);
        State state = generations.known(life.space(namespace), initial(life));
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Generation g = state.generation();
            if (seq <= g.firstSeq()) {
                return seq == g.firstSeq() && Arrays.equals(bytes, g.firstBytes());
            }
            long startNanos = clock.nanoTime();
            long startWallMillis = clock.wallMillis();
            String space = life.space(namespace);
            String key = keys.record(space, g.number(), seq);
            boolean moved = false;
            if (!objects.createIfAbsent(key, bytes)) {
                byte[] existing = objects.read(key)
                        .orElseThrow(() -> new StoreUnavailableException(
                                "S3 answered 412 for " + key + " but has no such object"));
                if (Generations.isSeal(existing)) {
                    if (!metSeal(namespace, life, state, g.number(), existing)) {
                        continue;
                    }
                    moved = true;
                } else if (!Arrays.equals(existing, bytes)) {
                    return false;
                }
            }
            // The record after a life's first precedes every seal of that life: a create of it is new.
            boolean birth = g.number() == 0 && seq == g.firstSeq() + 1;
            if (!moved && (birth || generations.isUnsealed(space, state, g.number()))) {
                if (epochs.confirms(namespace, life, compaction.freshMillis())) {
                    state.saw(g.number(), startNanos, startWallMillis);
                    appended(space, state, g, record, bytes);
                    return true;
                }
                moved = true; // retired under us: the create landed in a life nobody reads
            }
            if (moved) {
                life = epochs.life(namespace);
                state = generations.known(life.space(namespace), initial(life));
                continue;
            }
            Generation newest = generations.newest(space, state, g.number(), false);
            if (newest.firstSeq() == seq) {
                return Arrays.equals(bytes, newest.firstBytes())
                        && epochs.confirms(namespace, life, compaction.freshMillis());
            }
            if (newest.firstSeq() > seq) {
                throw new StoreUnavailableException("S3 record " + seq + " of " + namespace
                        + " was written as its generation was sealed: the log will tell whether it counts");
            }
            if (newest.firstSeq() < seq - 1) {
                throw new StoreUnavailableException("S3 generation " + newest.number() + " of " + namespace
                        + " starts at record " + newest.firstSeq() + ", before record " + (seq - 1)
                        + " that this broker read");
            }
            // No copy holds the record (it replaced a deleted seal): write it again in the newest generation.
        }
        throw new StoreUnavailableException(
                "S3 namespace " + namespace + " was compacted " + MAX_HOPS + " times during one append");
    }

    /**
     * The newest record above {@code seq}, in the namespace's current life: in the newest generation
     * this broker knows, then the seal and retirement checks; sealed (a seal found, or the check),
     * the same in the newest generation; retired, the same in the next life. GET seq+1 first:
     * absent, the common case, costs that one request. Otherwise gallop with HEADs and GET the
     * highest: O(log n) requests where a LIST would cost O(n).
     */
    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        for (int move = 0; move < MAX_HOPS; move++) {
            Optional<Optional<LeaseRecord>> found = latestIn(namespace, epochs.life(namespace), seq);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new StoreUnavailableException(
                "S3 namespace " + namespace + " was retired " + MAX_HOPS + " times during one read");
    }

    /** {@link #latestAfter} in one life; empty when that life was retired (read the next one). */
    private Optional<Optional<LeaseRecord>> latestIn(String namespace, Life life, long seq) {
        String space = life.space(namespace);
        Generations.Opened opened = generations.open(space, initial(life));
        if (opened.isEmpty()) {
            if (!epochs.confirms(namespace, life, compaction.freshMillis())) {
                return Optional.empty();
            }
            return Optional.of(
                    seq < life.sealSeq() ? Optional.of(RecordCodec.decode(life.firstBytes())) : Optional.empty());
        }
        State state = opened.state();
        // The life's second record, read cold, is the first GET of a cold read: not read twice.
        Optional<byte[]> known =
                seq == life.sealSeq() && state.generation().number() == 0 ? opened.birth() : Optional.empty();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Generation g = state.generation();
            long startNanos = clock.nanoTime();
            long startWallMillis = clock.wallMillis();
            Optional<Generations.Found> found;
            boolean vanished = false;
            try {
                found = generations.newestIn(space, g, seq, known);
            } catch (Generations.VanishedException e) {
                found = Optional.empty();
                vanished = true;
            }
            known = Optional.empty();
            boolean sealed = found.isPresent() && found.get().isSeal();
            if (sealed
                    && metSeal(namespace, life, state, g.number(), found.get().bytes())) {
                return Optional.empty();
            }
            if (sealed || !generations.isUnsealed(space, state, g.number())) {
                if (!sealed) {
                    generations.newest(space, state, g.number(), false);
                }
                continue;
            }
            if (!epochs.confirms(namespace, life, compaction.freshMillis())) {
                return Optional.empty();
            }
            if (vanished) {
                throw new StoreUnavailableException(
                        "S3 record of " + namespace + " vanished from an unsealed generation");
            }
            state.saw(g.number(), startNanos, startWallMillis);
            found.ifPresent(f -> state.described(RecordCodec.decode(f.bytes()), clock.nanoTime()));
            state.newestSeq =
                    Math.max(state.newestSeq, found.map(Generations.Found::seq).orElse(seq));
            return Optional.of(found.map(f -> RecordCodec.decode(f.bytes())));
        }
        throw new StoreUnavailableException(
                "S3 namespace " + namespace + " was compacted " + MAX_HOPS + " times during one read");
    }

    /**
     * A seal met in generation {@code g} of {@code life}: true when it is a retirement that its
     * marker made (the caller moves to the next life); otherwise it is finished as a seal into the
     * next generation, which the state then names.
     */
    private boolean metSeal(String namespace, Life life, State state, long g, byte[] seal) {
        OptionalLong into = Generations.retiredInto(seal);
        if (into.isPresent()) {
            epochs.settle(into.getAsLong());
            if (epochs.life(namespace).epoch() != life.epoch()) {
                return true;
            }
        }
        generations.newest(life.space(namespace), state, g, true);
        return false;
    }

    /** The generation a life starts in: generation 0, after the first record of a retired life. */
    private static Generation initial(Life life) {
        return life.epoch() == 0 ? Generation.ZERO : new Generation(0, life.sealSeq(), life.firstBytes());
    }

    @Override
    public void checkReachable() {
        objects.headBucket();
    }

    /**
     * Seals the namespace's current generation now on the calling thread, waits the delete delay
     * and deletes it; returns the objects deleted. Compaction otherwise runs by itself.
     */
    public int compactNow(String namespace) {
        Life life = epochs.life(namespace);
        generations.open(life.space(namespace), initial(life));
        return compactor.compactNow(life.space(namespace));
    }

    /**
     * Retires the namespace now on the calling thread, whatever its idle time and leases (a test's
     * caller knows them expired), waits the delete delay and deletes its old life; returns the
     * objects deleted. Retirement otherwise runs by itself.
     */
    public int retireNow(String namespace) {
        return retirer.retireNow(namespace);
    }

    /** Waits until no compaction is under way or waiting to delete, up to {@code timeout}; whether none is. */
    public boolean awaitCompactions(Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (!(compactor.isIdle() && retirer.isIdle()) && deadline - clock.nanoTime() > 0) {
            LockSupport.parkNanos(10_000_000);
        }
        return compactor.isIdle() && retirer.isIdle();
    }

    @Override
    public void close() {
        retirer.close();
        compactor.close();
        connection.close();
    }

    /**
     * Seals the generation right after the record just claimed, before the core can ask for the
     * next number: three create-only PUTs once per {@code everyRecords} appends. A compactor thread
     * racing the core for that number would lose to a busy namespace again and again. The record
     * counts whatever happens here.
     */
    private void sealAfter(String namespace, State state, Generation g, long seq, byte[] bytes) {
        try {
            if (generations.sealAfter(namespace, state, g, seq, bytes)) {
                compactor.deleteLater(namespace, g.number());
            }
        } catch (StoreUnavailableException e) {
            LOG.warn(
                    "sealing generation {} of {} failed, left for the next append: {}",
                    g.number(),
                    namespace,
                    e.getMessage());
        }
    }

    private void appended(String space, State state, Generation g, LeaseRecord record, byte[] bytes) {
        long seq = record.seq();
        state.newestSeq = Math.max(state.newestSeq, seq);
        state.lastAppendNanos = clock.nanoTime();
        state.described(record, state.lastAppendNanos);
        if (compaction.compacts() && seq - g.firstSeq() >= compaction.everyRecords()) {
            sealAfter(space, state, g, seq, bytes);
        }
    }
}
