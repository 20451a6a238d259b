package dev.lockbroker.core;

import java.util.concurrent.CompletableFuture;

/**
 * A request waiting in a namespace queue, and what became of it. Mutable fields are guarded by the
 * owning {@link NamespaceLocks} lock; {@code lease} and {@code ended} are volatile for lookups.
 */
final class Ticket {
    /** The engine this ticket queues in; requests on the ticket go there, whatever the name maps to now. */
    final NamespaceLocks owner;

    final String id;
    final LeaseRequest request;
    final long enqueuedNanos;
    final long deadlineNanos;
    final long deadlineMillis;
    /** Long-polls parked on this ticket now; while positive the waiter is attended. */
    int attendees;

    long lastAttendedNanos;
    /** Completed to wake parked long-polls; replaced after each wake. */
    CompletableFuture<Void> wake = new CompletableFuture<>();
    /** Set when a grant write for this ticket failed; long-polls answer 503 and the flag clears. */
    boolean storeFailed;

    volatile Lease lease;
    volatile EndReason ended;
    long endedAtNanos;

    Ticket(NamespaceLocks owner, String id, LeaseRequest request, long nowNanos, long nowMillis) {
        this.owner = owner;
        this.id = id;
        this.request = request;
        this.enqueuedNanos = nowNanos;
        this.deadlineNanos = nowNanos + request.waitMillis() * 1_000_000;
        this.deadlineMillis = nowMillis + request.waitMillis();
        this.lastAttendedNanos = nowNanos;
    }

    boolean isTryOnce() {
        return request.waitMillis() == 0;
    }

    boolean isSettled() {
        return lease != null || ended != null;
    }

    void wakeWaiters() {
        CompletableFuture<Void> toComplete = wake;
        wake = new CompletableFuture<>();
        toComplete.complete(null);
    }

    WaiterView waiterView(int position, long nowNanos) {
        return new WaiterView(
                request.key().shard(),
                position,
                request.mode(),
                request.holder(),
                (nowNanos - enqueuedNanos) / 1_000_000);
    }
}
