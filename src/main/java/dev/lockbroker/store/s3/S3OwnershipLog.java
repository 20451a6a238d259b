package dev.lockbroker.store.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lockbroker.core.Clock;
import dev.lockbroker.core.Member;
import dev.lockbroker.core.OwnershipLog;
import dev.lockbroker.core.OwnershipRecord;
import dev.lockbroker.core.Partitions;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The ownership logs of a group of brokers on one bucket: {@code {prefix}/cluster/p{k}/{seq}.json},
 * one create-only log per partition, beside the lease logs, created with {@code If-None-Match: *}
 * and never overwritten. Old records are deleted ({@link OwnershipCleanup}); the argument that no
 * stale writer can then win a deleted number is in the README, "Several brokers":
 *
 * <ul>
 *   <li>a record is deleted only a delete delay after a higher one was seen, so the highest number
 *       ever created is never deleted and a LIST always shows it;
 *   <li>a read or a create counts only if its answer arrived less than half the delete delay after
 *       the send of the request that showed the number it builds on as the newest (a <em>sight</em>):
 *       no number above that one can have been deleted by then, so a create made a new record and a
 *       read saw every record;
 *   <li>without such a sight (a start, a paused or cut-off broker) the log is read cold by a LIST.
 * </ul>
 *
 * <p>Thread-safe: the sights are an atomic array of immutable values, each a true statement when
 * stored (a race can only leave an older one, which costs a cold read); cleanups run on one thread.
 */
public final class S3OwnershipLog implements OwnershipLog, AutoCloseable {
    /** Keys one cleanup deletes at most; a log left from before cleanup existed takes several. */
    static final int MAX_DELETES = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(S3OwnershipLog.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** At some instant after {@code sentNanos}/{@code sentWallMillis}, no number above {@code seq} had been created. */
    private record Sight(long seq, long sentNanos, long sentWallMillis) {}

    private final S3Connection connection;
    private final ObjectStore objects;
    private final RecordObjects records;
    private final String clusterKey;
    private final OwnershipCleanup cleanup;
    private final Clock clock;
    private final AtomicReferenceArray<Sight> sights = new AtomicReferenceArray<>(Partitions.COUNT);
    private final ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lockbroker-ownership-cleanup").factory());

    private S3OwnershipLog(S3Connection connection, S3Settings settings, OwnershipCleanup cleanup, Clock clock) {
        this.connection = connection;
        this.objects = connection.objects();
        this.records = new RecordObjects(objects);
        this.clusterKey = settings.clusterKey();
        this.cleanup = cleanup;
        this.clock = clock;
    }

    /** With credentials from the AWS default chain; the lease log's start-up check covers the bucket. */
    public static S3OwnershipLog open(S3Settings settings, OwnershipCleanup cleanup) {
        return open(settings, DefaultCredentialsProvider.builder().build(), cleanup);
    }

    public static S3OwnershipLog open(
            S3Settings settings, AwsCredentialsProvider credentials, OwnershipCleanup cleanup) {
        return new S3OwnershipLog(S3Connection.open(settings, credentials), settings, cleanup, Clock.SYSTEM);
    }

    /**
     * Creates the record under its number, given a fresh sight of the number before it (read cold
     * first by a broker that never saw the partition); with a stale one or a newer number seen (a
     * broker paused or cut off for longer than the freshness), false at once, with no request:
     * the caller reads again, and an owner that stale is fenced anyway. True only when the answer
     * arrived while that sight was fresh; a create answered later may have recreated a deleted
     * number, so it fails as unknown.
     */
    @Override
    public boolean append(int partition, OwnershipRecord record) {
        long seq = record.seq();
        String key = key(partition, seq);
        byte[] bytes = encode(record);
        if (!cleanup.checks()) {
            return counted(partition, seq, records.append(key, bytes), clock.nanoTime(), clock.wallMillis());
        }
        if (sights.get(partition) == null) {
            readCold(partition, seq - 1); // never seen: a start
        }
        Optional<Sight> before = freshSight(partition, seq - 1);
        if (before.isEmpty()) {
            return false;
        }
        long sentNanos = clock.nanoTime();
        long sentWallMillis = clock.wallMillis();
        boolean created = records.append(key, bytes);
        if (!isFresh(before.get())) {
            if (created) {
                throw new StoreUnavailableException("S3 ownership record " + key
                        + " was answered too late to count: its number may have been deleted meanwhile");
            }
            return false;
        }
        return counted(partition, seq, created, sentNanos, sentWallMillis);
    }

    /**
     * The record with the highest number above {@code seq}: GET seq+1 (and a gallop of HEADs when
     * it exists). While this broker's sight of {@code seq} is fresh at the answer, that is the
     * newest and the next sight. A broker that never saw the partition reads it cold at once. With
     * a stale sight, a record found is returned as a hint (it
     * exists and is newer, so routing and the lapse watch may use it, but no sight: gaps left by a
     * cleanup can hide newer ones); nothing found is read cold: a LIST after {@code seq} and a GET
     * of the last key, which is the newest (the highest number is never deleted).
     */
    @Override
    public Optional<OwnershipRecord> latestAfter(int partition, long seq) {
        if (!cleanup.checks()) {
            return records.latestAfter(n -> key(partition, n), seq).map(S3OwnershipLog::decode);
        }
        if (sights.get(partition) == null) {
            return readCold(partition, seq);
        }
        Optional<Sight> sight = freshSight(partition, seq);
        long sentNanos = clock.nanoTime();
        long sentWallMillis = clock.wallMillis();
        Optional<OwnershipRecord> newer =
                records.latestAfter(n -> key(partition, n), seq).map(S3OwnershipLog::decode);
        if (sight.isPresent() && isFresh(sight.get())) {
            long newest = newer.map(OwnershipRecord::seq).orElse(seq);
            sights.set(partition, new Sight(newest, sentNanos, sentWallMillis));
            return newer;
        }
        return newer.isPresent() ? newer : readCold(partition, seq);
    }

    /** Presences listed at most: a bound on one listing, far above any group's size. */
    static final int MAX_PRESENCES = 1_000;

    /**
     * {@code {prefix}/cluster/members/{brokerId}}, overwritten every period with who and when: its
     * ETag changes each time, which is all a peer looks at. Advisory (see {@link OwnershipLog}),
     * so a plain PUT.
     */
    @Override
    public void announce(Member me, long wallMillis) {
        try {
            objects.overwrite(
                    presenceKey(me.brokerId()),
                    MAPPER.writeValueAsBytes(Map.of(
                            "brokerId", me.brokerId(),
                            "incarnation", me.incarnation(),
                            "url", me.url(),
                            "writtenAtMillis", wallMillis)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> presences() {
        Map<String, String> byBroker = new TreeMap<>();
        objects.etagsUnder(presencePrefix(), MAX_PRESENCES)
                .forEach((key, etag) ->
                        byBroker.put(key.substring(presencePrefix().length()), etag));
        return byBroker;
    }

    @Override
    public void withdraw(String brokerId) {
        objects.deleteProbe(presenceKey(brokerId));
    }

    private String presencePrefix() {
        return clusterKey + "members/";
    }

    private String presenceKey(String brokerId) {
        return presencePrefix() + brokerId;
    }

    @Override
    public void close() {
        cleaner.shutdownNow();
        connection.close();
    }

    /** This broker's sight of {@code seq} as the newest, if it is fresh now. */
    private Optional<Sight> freshSight(int partition, long seq) {
        Sight sight = sights.get(partition);
        return sight != null && sight.seq() == seq && isFresh(sight) ? Optional.of(sight) : Optional.empty();
    }

    /**
     * A LIST of the partition's keys after {@code seq}: the highest number ever created is never
     * deleted, so the last key is the newest record, or there is none above {@code seq}.
     */
    private Optional<OwnershipRecord> readCold(int partition, long seq) {
        long sentNanos = clock.nanoTime();
        long sentWallMillis = clock.wallMillis();
        Optional<String> last = objects.lastKeyAfter(prefix(partition), key(partition, seq));
        if (last.isEmpty()) {
            sights.set(partition, new Sight(seq, sentNanos, sentWallMillis));
            return Optional.empty();
        }
        byte[] bytes = objects.read(last.get())
                .orElseThrow(() -> new StoreUnavailableException(
                        "S3 ownership record " + last.get() + " vanished after it was listed"));
        OwnershipRecord newest = decode(bytes);
        sights.set(partition, new Sight(newest.seq(), sentNanos, sentWallMillis));
        return Optional.of(newest);
    }

    private boolean isFresh(Sight sight) {
        long freshMillis = cleanup.freshMillis();
        return clock.nanoTime() - sight.sentNanos() < freshMillis * 1_000_000
                && clock.wallMillis() - sight.sentWallMillis() < freshMillis;
    }

    /** A create that counts: the new sight, and a cleanup below it every {@code everyRecords}. */
    private boolean counted(int partition, long seq, boolean created, long sentNanos, long sentWallMillis) {
        if (created) {
            sights.set(partition, new Sight(seq, sentNanos, sentWallMillis));
            if (seq % cleanup.everyRecords() == 0) {
                deleteBelowLater(partition, seq);
            }
        }
        return created;
    }

    /** Deletes every record below {@code seq}, which this broker has just seen, a delete delay from now. */
    private void deleteBelowLater(int partition, long seq) {
        try {
            var unused = cleaner.schedule(
                    () -> deleteBelow(partition, seq), cleanup.deleteDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: the next cleanup of this partition deletes these too
        }
    }

    private void deleteBelow(int partition, long seq) {
        String prefix = prefix(partition);
        String bound = key(partition, seq);
        try {
            List<String> doomed = objects.keysUnder(prefix, true, MAX_DELETES).stream()
                    .filter(k -> k.compareTo(bound) < 0) // record names sort as their numbers
                    .toList();
            objects.deleteAll(doomed);
            LOG.debug("deleted {} ownership records of partition {} below {}", doomed.size(), partition, seq);
        } catch (StoreUnavailableException e) {
            LOG.warn("ownership cleanup of partition {} failed, left for the next: {}", partition, e.getMessage());
        }
    }

    private String prefix(int partition) {
        return clusterKey + "p" + partition + "/";
    }

    private String key(int partition, long seq) {
        return prefix(partition) + RecordCodec.recordName(seq);
    }

    private static byte[] encode(OwnershipRecord record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OwnershipRecord decode(byte[] json) {
        try {
            return MAPPER.readValue(json, OwnershipRecord.class);
        } catch (IOException e) {
            throw new StoreUnavailableException("unreadable ownership record", e);
        }
    }
}
