package dev.lockbroker.core;

/**
 * The ownership protocol's timing, from the ownership TTL. With a clock-rate error of at most
 * {@link #MAX_DRIFT} on every broker, an owner's validity (measured on its clock from a renewal's
 * send) ends before any peer's lapse (measured on the peer's clock from a read after that renewal
 * landed): {@code validity / (1 - drift) < lapse / (1 + drift)}, which holds with room to spare.
 *
 * @param ttlMillis how long an ownership record stands unrenewed before a peer may take over
 */
public record OwnershipTimes(long ttlMillis) {
    /** The bound on clock-rate error (fraction of true rate) the argument needs. */
    public static final double MAX_DRIFT = 0.05;

    public OwnershipTimes {
        if (ttlMillis < 1_000 || ttlMillis > 300_000) {
            throw new IllegalArgumentException("the ownership TTL must be 1000-300000 ms, not " + ttlMillis);
        }
    }

    /** How often the owner renews and every broker reads each partition. */
    public long periodMillis() {
        return ttlMillis / 3;
    }

    /** How long after a renewal's send the owner may acknowledge: TTL × (1 − drift) − margin. */
    long validityNanos() {
        return (long) (ttlMillis * (1 - MAX_DRIFT) * 1_000_000) - marginNanos(ttlMillis);
    }

    /** How long a peer watches a record of TTL {@code recordTtlMillis} unchanged: TTL × (1 + drift) + margin. */
    long lapseNanos(long recordTtlMillis) {
        return (long) (recordTtlMillis * (1 + MAX_DRIFT) * 1_000_000) + marginNanos(recordTtlMillis);
    }

    /** A tenth of the TTL, at most a second: room for a request in flight beside the drift. */
    private static long marginNanos(long ttlMillis) {
        return Math.min(ttlMillis / 10, 1_000) * 1_000_000;
    }
}
