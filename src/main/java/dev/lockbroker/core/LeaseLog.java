package dev.lockbroker.core;

import java.util.Optional;

/**
 * The durable store: per namespace, a create-only log of numbered {@link LeaseRecord}s. A record
 * number is created at most once, by whichever writer gets there first (create-if-absent), and
 * records are never changed. Numbers have no gaps: record n+1 is only written by a broker that read
 * record n. Every method may throw {@link StoreUnavailableException}.
 */
public interface LeaseLog extends AutoCloseable {

    /** Creates {@code record} under its number; false when a record with that number exists already. */
    boolean append(String namespace, LeaseRecord record);

    /**
     * The record with the highest number, when that number is greater than {@code seq}; empty when no
     * record numbered above {@code seq} exists. {@code latestAfter(ns, 0)} reads a namespace cold.
     */
    Optional<LeaseRecord> latestAfter(String namespace, long seq);

    /** Throws {@link StoreUnavailableException} unless the store answers now. */
    void checkReachable();

    @Override
    default void close() {}
}
