package dev.lockbroker.cli;

import java.util.concurrent.TimeUnit;

/**
 * When {@code run}'s command is stopped, given the lease's validity end (see
 * {@link dev.lockbroker.client.HeartbeatPolicy}): SIGTERM at {@code validUntil - grace - allowance},
 * SIGKILL one grace later, so the command is gone by the validity end even when the watchdog takes
 * the allowance to react (a FIFO read, a fork, a ps sweep).
 *
 * @param graceNanos time between SIGTERM and SIGKILL
 */
record StopDeadline(long graceNanos) {
    private static final long MIN_ALLOWANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A tenth of the grace, at least 100 ms, at most half the grace. */
    long allowanceNanos() {
        return Math.min(graceNanos / 2, Math.max(MIN_ALLOWANCE_NANOS, graceNanos / 10));
    }

    /** The monotonic time at which SIGTERM is due for a lease valid until {@code validUntilNanos}. */
    long termAt(long validUntilNanos) {
        return validUntilNanos - graceNanos - allowanceNanos();
    }
}
