package dev.lockbroker.store.file;

import dev.lockbroker.core.LeaseRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Retires idle namespaces of the embedded store so its directory stays bounded however many
 * namespaces come and go: a namespace whose newest record was written longer ago than the idle
 * limit, and than every lease in it could have lasted, loses its directory, and the one file {@code
 * retired-token-floor} keeps the largest fencing token any retired namespace issued. A namespace
 * read after retirement starts from that floor, so its tokens still only increase.
 *
 * <p>Safe because one process owns the directory (the OS lock of {@link FileLeaseLog}): no other
 * writer can hold a stale view of a retired namespace, and callers serialize retirement with every
 * append and read of the same namespace. Not thread-safe itself.
 */
final class Retirement {
    private static final String FLOOR_FILE = "retired-token-floor";

    private final Path root;
    private long floor;

    Retirement(Path root) throws IOException {
        this.root = root;
        Path file = root.resolve(FLOOR_FILE);
        this.floor = Files.exists(file)
                ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip())
                : 0;
    }

    /** The largest token of any retired namespace, 0 when none was retired. */
    long floor() {
        return floor;
    }

    /**
     * Retires {@code dir} when every lease in its newest record, {@code newest}, written {@code
     * idleMillis} ago, has expired: first raises the floor durably, then deletes the records and
     * the directory (a crash in between leaves a directory that the next sweep retires again). True
     * when retired.
     *
     * <p>A lease is expired once its record is older than the core's recovery grace (1.5 × TTL + 1
     * s): a heartbeated lease has its renewal written once heartbeats move half a TTL past the last
     * written one, so a lease whose newest record is older than that has not been heartbeated
     * within its TTL. (Releases are written only with a next record, so a one-off namespace's last
     * record still lists its released lease.)
     */
    boolean retireIfExpired(Path dir, LeaseRecord newest, long idleMillis) throws IOException {
        boolean expired = newest.leases().stream().allMatch(l -> idleMillis > l.ttlMillis() * 3 / 2 + 1_000);
        if (!expired) {
            return false;
        }
        if (newest.lastToken() > floor) {
            writeFloor(newest.lastToken());
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.toList();
        }
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            return false; // a temporary file appeared; the next sweep tries again
        } catch (NoSuchFileException e) {
            return true;
        }
        return true;
    }

    private void writeFloor(long token) throws IOException {
        Path temp = root.resolve(FLOOR_FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(Long.toString(token).getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, root.resolve(FLOOR_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
            dir.force(true);
        }
        floor = token;
    }
}
