package dev.lockbroker.core;

import org.jspecify.annotations.Nullable;

/**
 * One held lease as persisted in a {@link LeaseRecord}. Wall times are for display and for other
 * brokers; each broker runs its own deadline on a monotonic clock.
 */
public record LeaseEntry(
        String leaseId,
        @Nullable String shard,
        Mode mode,
        long token,
        Holder holder,
        long ttlMillis,
        long grantedAtMillis,
        long renewedAtMillis) {}
