package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import dev.lockbroker.store.s3.Namespaces.Generation;
import dev.lockbroker.store.s3.Namespaces.State;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The S3 store: one object per record, created with {@code If-None-Match: *}, in generations that
 * compaction seals with markers that are never deleted ({@link Generations}; README, "Bounded
 * growth"). Correctness rests on create-if-absent alone: no conditional overwrite, and a deleted
 * record a stale writer recreates never counts, because a write counts only if its generation was
 * not sealed when it took effect.
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

    /** Opens the store without the start-up check, for tests that open many logs on a proven server. */
    static S3LeaseLog openUnchecked(
            S3Settings settings, AwsCredentialsProvider credentials, CompactionSettings compaction) {
        return new S3LeaseLog(S3Connection.open(settings, credentials), settings, compaction);
    }

    /**
     * Creates the record in the namespace's newest known generation. It counts when that
     * generation was unsealed as the create took effect: this broker saw it unsealed recently, or
     * else the marker of the next generation is absent (one HEAD). On 412 with our own
     * bytes the SDK retried a PUT whose first attempt landed, and the same applies; a seal in our
     * place moves the write to the next generation. Sealed after all: when the next generation
     * starts at the preceding record, no copy holds ours and it is written again there; when its
     * first record is ours, it counts; when it is newer, whether ours counts shows only in the log,
     * so the call fails and the core treats its grants as unknown until it reads.
     */
    @Override
    public boolean append(String namespace, LeaseRecord record) {
        byte[] bytes = RecordCodec.encode(record);
        long seq = record.seq();
        State state = generations.known(namespace);
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Generation g = state.generation();
            if (seq <= g.firstSeq()) {
                return seq == g.firstSeq() && Arrays.equals(bytes, g.firstBytes());
            }
            long startNanos = clock.nanoTime();
            long startWallMillis = clock.wallMillis();
            String key = keys.record(namespace, g.number(), seq);
            if (!objects.createIfAbsent(key, bytes)) {
                byte[] existing = objects.read(key)
                        .orElseThrow(() -> new StoreUnavailableException(
                                "S3 answered 412 for " + key + " but has no such object"));
                if (Generations.isSeal(existing)) {
                    generations.newest(namespace, state, g.number(), true);
                    continue;
                }
                if (!Arrays.equals(existing, bytes)) {
                    return false;
                }
            }
            // Record 1 of generation 0 precedes every seal and is never deleted: a create of it is new.
            boolean first = g.number() == 0 && seq == 1;
            if (first || generations.isUnsealed(namespace, state, g.number())) {
                state.saw(g.number(), startNanos, startWallMillis);
                appended(namespace, state, g, seq, bytes);
                return true;
            }
            Generation newest = generations.newest(namespace, state, g.number(), false);
            if (newest.firstSeq() == seq) {
                return Arrays.equals(bytes, newest.firstBytes());
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
     * The newest record above {@code seq}: in the newest generation this broker knows, then the seal
     * check; sealed (a seal found, or the check), the same in the newest generation. GET seq+1 first:
     * absent, the common case, costs that one request. Otherwise gallop with HEADs and GET the
     * highest: O(log n) requests where a LIST would cost O(n).
     */
    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        Generations.Opened opened = generations.open(namespace);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        State state = opened.state();
        // Record 1, read cold, is the first GET of a cold read: not read twice.
        Optional<byte[]> known = seq == 0 && state.generation().number() == 0 ? opened.birth() : Optional.empty();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Generation g = state.generation();
            long startNanos = clock.nanoTime();
            long startWallMillis = clock.wallMillis();
            Optional<Generations.Found> found;
            boolean vanished = false;
            try {
                found = generations.newestIn(namespace, g, seq, known);
            } catch (Generations.VanishedException e) {
                found = Optional.empty();
                vanished = true;
            }
            known = Optional.empty();
            boolean sealed = found.isPresent() && found.get().isSeal();
            if (sealed || !generations.isUnsealed(namespace, state, g.number())) {
                generations.newest(namespace, state, g.number(), sealed);
                continue;
            }
            if (vanished) {
                throw new StoreUnavailableException(
                        "S3 record of " + namespace + " vanished from an unsealed generation");
            }
            long newestSeq = found.map(Generations.Found::seq).orElse(seq);
            state.saw(g.number(), startNanos, startWallMillis);
            state.newestSeq = Math.max(state.newestSeq, newestSeq);
            return found.map(f -> RecordCodec.decode(f.bytes()));
        }
        throw new StoreUnavailableException(
                "S3 namespace " + namespace + " was compacted " + MAX_HOPS + " times during one read");
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
        generations.open(namespace);
        return compactor.compactNow(namespace);
    }

    /** Waits until no compaction is under way or waiting to delete, up to {@code timeout}; whether none is. */
    public boolean awaitCompactions(Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (!compactor.isIdle() && deadline - clock.nanoTime() > 0) {
            LockSupport.parkNanos(10_000_000);
        }
        return compactor.isIdle();
    }

    @Override
    public void close() {
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

    private void appended(String namespace, State state, Generation g, long seq, byte[] bytes) {
        state.newestSeq = Math.max(state.newestSeq, seq);
        state.lastAppendNanos = clock.nanoTime();
        if (compaction.compacts() && seq - g.firstSeq() >= compaction.everyRecords()) {
            sealAfter(namespace, state, g, seq, bytes);
        }
    }
}
