package dev.lockbroker.store.file;

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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded store: one directory per namespace, one file per record, {@code
 * {root}/v1/{namespace}/{seq}.json}. A record is written to a temporary file, fsynced, then
 * hard-linked to its name, which fails if the name exists: create-if-absent, and never a torn
 * record. One process owns the directory (an OS file lock), so old records can be pruned safely.
 */
public final class FileLeaseLog implements LeaseLog {
    /** Records kept per namespace; older ones are history nobody reads. */
    private static final int RECORDS_KEPT = 16;

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock ownership;

    public FileLeaseLog(Path root) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root.resolve("v1"));
            lockChannel = FileChannel.open(
                    this.root.resolve(".owner.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ownership = tryLock(lockChannel);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot open data directory " + this.root + ": " + e.getMessage(), e);
        }
        if (ownership == null) {
            throw new IllegalStateException("data directory " + this.root + " is in use by another lockbroker process");
        }
    }

    @Override
    public boolean append(String namespace, LeaseRecord record) {
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
            Files.deleteIfExists(dir.resolve(RecordCodec.recordName(record.seq() - RECORDS_KEPT)));
            return true;
        } catch (IOException e) {
            throw new StoreUnavailableException(
                    "cannot write record " + record.seq() + " of " + namespace + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        Path dir = root.resolve("v1").resolve(namespace);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            long latest = files.mapToLong(p -> RecordCodec.seqOf(p.getFileName().toString()))
                    .max()
                    .orElse(-1);
            if (latest <= seq) {
                return Optional.empty();
            }
            return Optional.of(RecordCodec.decode(Files.readAllBytes(dir.resolve(RecordCodec.recordName(latest)))));
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read records of " + namespace + ": " + e.getMessage(), e);
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
