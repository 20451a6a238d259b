package dev.lockbroker.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a lease heartbeats and how long it may be trusted. A heartbeat confirmed for a request sent at
 * {@code s} keeps the lease valid until {@code s + ttl - margin} on this process's monotonic clock: the
 * broker starts the TTL no earlier than it receives the request, and the margin leaves time to stop
 * work before the broker may hand the lock to the next waiter.
 *
 * @param intervalNanos time from one heartbeat's send to the next (a third of the TTL)
 * @param marginNanos how long before the broker-side expiry the lease stops counting as valid
 * @param retryNanos pause before retrying a heartbeat that got no confirmation
 */
public record HeartbeatPolicy(long ttlNanos, long intervalNanos, long marginNanos, long retryNanos) {
    private static final long MAX_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Heartbeats every TTL/3; a margin of TTL/4, at most 10 s. */
    public static HeartbeatPolicy forTtl(Duration ttl) {
        long ttlNanos = ttl.toNanos();
        long retry = Math.max(MIN_RETRY_NANOS, Math.min(MAX_RETRY_NANOS, ttlNanos / 20));
        return new HeartbeatPolicy(ttlNanos, ttlNanos / 3, Math.min(ttlNanos / 4, MAX_MARGIN_NANOS), retry);
    }

    /** Until when a lease confirmed by a request sent at {@code sentNanos} may be trusted. */
    public long validUntil(long sentNanos) {
        return sentNanos + ttlNanos - marginNanos;
    }

    /** How long a stopped child may take to exit on SIGTERM before SIGKILL: half the margin. */
    public long stopGraceNanos() {
        return marginNanos / 2;
    }
}
