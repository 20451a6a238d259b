package dev.lockbroker.store.file;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.store.RecordCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The embedded store: one directory per namespace, one file per record, {@code
 * {root}/v1/{namespace}/{seq}.json}. A record is written to a temporary file, fsynced, then
 * hard-linked to its name, which fails if the name exists: create-if-absent, and never a torn
 * record. One process owns the directory (an OS file lock), so old records can be pruned safely,
 * and a namespace idle for {@link #DEFAULT_IDLE_BEFORE_RETIRE} with no live lease is retired whole
 * ({@link Retirement}): the directory holds the namespaces in use, not every one ever touched.
 *
 * <p>Thread-safe: calls on one namespace are serialized by a lock striped by namespace (retirement
 * takes the same lock); calls on different namespaces run in parallel. Every {@link #SWEEP_EVERY}
 * appends, the appending thread examines at most {@link #SWEEP_LIMIT} namespaces, after its own
 * namespace's lock is released.
 */
public final class FileLeaseLog implements LeaseLog {
    /** Records kept per namespace; older ones are history nobody reads. */
    private static final int RECORDS_KEPT = 16;

    /** Longer than the core keeps an idle namespace in memory (10 min), so a retired one is read cold. */
    public static final Duration DEFAULT_IDLE_BEFORE_RETIRE = Duration.ofMinutes(15);

    public static final int SWEEP_EVERY = 64;
    public static final int SWEEP_LIMIT = 256;
    private static final int STRIPES = 64;

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock ownership;
    private final long idleMillis;
    private final Retirement retirement;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReentrantLock sweepLock = new ReentrantLock();
    private final AtomicLong appends = new AtomicLong();
    private String sweepCursor = ""; // guarded by sweepLock

    public FileLeaseLog(Path root) {
        this(root, DEFAULT_IDLE_BEFORE_RETIRE);
    }

    /** A store that retires a namespace once it has been idle, with no live lease, for {@code idleBeforeRetire}. */
    public FileLeaseLog(Path root, Duration idleBeforeRetire) {
        this.root = root.toAbsolutePath();
        this.idleMillis = idleBeforeRetire.toMillis();
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        try {
            Files.createDirectories(this.root.resolve("v1"));
            lockChannel = FileChannel.open(
                    this.root.resolve(".owner.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ownership = tryLock(lockChannel);
            retirement = ownership == null ? null : new Retirement(this.root);
        } catch (IOException | NumberFormatException e) {
            throw new StoreUnavailableException("cannot open data directory " + this.root + ": " + e.getMessage(), e);
        }
        if (ownership == null) {
            throw new IllegalStateException("data directory " + this.root + " is in use by another lockbroker process");
        }
    }

    @Override
    public boolean append(String namespace, LeaseRecord record) {
        boolean created = locked(namespace, () -> create(namespace, record));
        if (appends.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
        return created;
    }

    private boolean create(String namespace, LeaseRecord record) {
        Path dir = root.resolve("v1").resolve(namespace);
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "pending-", ".tmp");
            try {
                writeDurably(temp, RecordCodec.encode(record));
                Files.createLink(dir.resolve(RecordCodec.recordName(record.seq())), temp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(temp);
            }
            syncDirectory(dir);
            if (record.seq() > RECORDS_KEPT) {
                Files.deleteIfExists(dir.resolve(RecordCodec.recordName(record.seq() - RECORDS_KEPT)));
            }
            return true;
        } catch (IOException e) {
            throw new StoreUnavailableException(
                    "cannot write record " + record.seq() + " of " + namespace + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest record; for a namespace with no directory read cold ({@code seq} 0) after some
     * namespace was retired, record 1 with no lease and the retired token floor, so fencing tokens
     * of a namespace used again after retirement stay above every token it issued before.
     */
    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        return locked(namespace, () -> {
            Path dir = root.resolve("v1").resolve(namespace);
            if (!Files.isDirectory(dir)) {
                return seq < 1 && retirement.floor() > 0
                        ? Optional.of(new LeaseRecord(1, retirement.floor(), Clock.SYSTEM.wallMillis(), List.of()))
                        : Optional.empty();
            }
            try {
                long latest = newestSeq(dir);
                if (latest <= seq) {
                    return Optional.empty();
                }
                return Optional.of(read(dir, latest));
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot read records of " + namespace + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Examines up to {@link #SWEEP_LIMIT} namespaces after the last one examined and retires the idle
     * ones; returns how many. Appends call it every {@link #SWEEP_EVERY}; housekeeping may too.
     */
    public int sweep() {
        if (!sweepLock.tryLock()) {
            return 0; // another thread sweeps now
        }
        try {
            List<String> names;
            try (Stream<Path> dirs = Files.list(root.resolve("v1"))) {
                names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
            }
            List<String> batch = names.stream()
                    .filter(n -> n.compareTo(sweepCursor) > 0)
                    .limit(SWEEP_LIMIT)
                    .toList();
            sweepCursor = batch.size() < SWEEP_LIMIT ? "" : batch.getLast();
            int retired = 0;
            for (String name : batch) {
                retired += locked(name, () -> retireIfIdle(name)) ? 1 : 0;
            }
            return retired;
        } catch (IOException e) {
            return 0; // retirement is housekeeping: the next sweep tries again
        } finally {
            sweepLock.unlock();
        }
    }

    private boolean retireIfIdle(String namespace) {
        Path dir = root.resolve("v1").resolve(namespace);
        try {
            long latest = newestSeq(dir);
            if (latest < 1) {
                return false;
            }
            Path newest = dir.resolve(RecordCodec.recordName(latest));
            long idleFor = Clock.SYSTEM.wallMillis()
                    - Files.getLastModifiedTime(newest).toMillis();
            return idleFor >= idleMillis && retirement.retireIfExpired(dir, read(dir, latest), idleFor);
        } catch (IOException | java.io.UncheckedIOException | StoreUnavailableException e) {
            return false; // an unreadable directory stays
        }
    }

    private static long newestSeq(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> RecordCodec.seqOf(p.getFileName().toString()))
                    .max()
                    .orElse(-1);
        }
    }

    private static LeaseRecord read(Path dir, long seq) throws IOException {
        return RecordCodec.decode(Files.readAllBytes(dir.resolve(RecordCodec.recordName(seq))));
    }

    private <T> T locked(String namespace, java.util.function.Supplier<T> action) {
        ReentrantLock lock = stripes[Math.floorMod(namespace.hashCode(), STRIPES)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void checkReachable() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new StoreUnavailableException("data directory " + root + " is not writable");
        }
    }

    @Override
    public void close() {
        try {
            ownership.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // closing on shutdown; the OS drops the lock with the process anyway
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null; // held by this same JVM
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
