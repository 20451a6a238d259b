package dev.lockbroker.core;

import java.util.Optional;

/**
 * The ownership port: per partition, a create-only log of numbered {@link OwnershipRecord}s, kept
 * in the same store as the lease logs. Every method may throw {@link StoreUnavailableException}.
 */
public interface OwnershipLog extends AutoCloseable {
    /** Creates {@code record} under its number; false when that number exists already. */
    boolean append(int partition, OwnershipRecord record);

    /** The record with the highest number above {@code seq}, or empty when there is none. */
    Optional<OwnershipRecord> latestAfter(int partition, long seq);

    /** Releases what the log holds (connections); {@link Ownership#close} calls it last. */
    @Override
    default void close() {}
}
