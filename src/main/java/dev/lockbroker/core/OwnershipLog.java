package dev.lockbroker.core;

import java.util.Map;
import java.util.Optional;

/**
 * The ownership port: per partition, a create-only log of numbered {@link OwnershipRecord}s, kept
 * in the same store as the lease logs; and beside them one <em>presence</em> per broker, which says
 * only that a broker is there and wants its share of partitions. Every method may throw
 * {@link StoreUnavailableException}.
 *
 * <p>Presences are advisory: they set how many partitions each broker aims for, never who may
 * grant (that is decided by the create-only records alone), so a presence may be overwritten and
 * deleted.
 */
public interface OwnershipLog extends AutoCloseable {
    /** Creates {@code record} under its number; false when that number exists already. */
    boolean append(int partition, OwnershipRecord record);

    /** The record with the highest number above {@code seq}, or empty when there is none. */
    Optional<OwnershipRecord> latestAfter(int partition, long seq);

    /** Writes this broker's presence, replacing its previous one; each write changes its version. */
    void announce(Member me, long wallMillis);

    /** Every broker's presence: broker id → a version that changes whenever that broker announces. */
    Map<String, String> presences();

    /** Removes a broker's presence (this broker's when it stops, or a peer's long unchanged). */
    void withdraw(String brokerId);

    /** Releases what the log holds (connections); {@link Ownership#close} calls it last. */
    @Override
    default void close() {}
}
