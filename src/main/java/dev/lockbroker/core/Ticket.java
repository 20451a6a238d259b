package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.WaitEnd;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request waiting in a namespace queue, and what became of it. Its transitions are its own
 * methods; the {@link NamespaceState} that holds it calls them under its namespace lock. {@code phase},
 * {@code end} and {@code lease} are volatile for lookups outside that lock.
 */
final class Ticket {
    /** Where a ticket stands. {@link #STORE_FAILED} is still waiting: the write that was to grant it failed. */
    enum Phase {
        WAITING,
        STORE_FAILED,
        ENDED
    }

    final String id;
    final LeaseRequest request;
    final long enqueuedNanos;
    final long deadlineNanos;
    final long deadlineMillis;

    private volatile Phase phase = Phase.WAITING;
    private volatile @Nullable WaitEnd end;
    private volatile @Nullable Lease lease;
    private long endedAtNanos;
    /** Long-polls parked on this ticket now; while positive the waiter is attended. */
    private int attendees;

    private long lastAttendedNanos;
    /** The long-polls parked on this ticket, checked again at each change; null when none. Guarded by the namespace lock. */
    private @Nullable List<ParkedPoll> parked;

    Ticket(String id, LeaseRequest request, long nowNanos, long nowMillis) {
        this.id = id;
        this.request = request;
        this.enqueuedNanos = nowNanos;
        this.deadlineNanos = nowNanos + request.waitMillis() * 1_000_000;
        this.deadlineMillis = nowMillis + request.waitMillis();
        this.lastAttendedNanos = nowNanos;
    }

    // ---- transitions ----

    /** The record holding {@code granted} exists: the wait ends with the lease. */
    void grant(Lease granted, long nowNanos) {
        lease = granted;
        endWith(WaitEnd.GRANTED, nowNanos);
    }

    void end(WaitEnd reason, long nowNanos) {
        if (reason == WaitEnd.GRANTED) {
            throw new IllegalArgumentException("a grant needs its lease: use grant");
        }
        endWith(reason, nowNanos);
    }

    private void endWith(WaitEnd reason, long nowNanos) {
        if (phase == Phase.ENDED) {
            throw new IllegalStateException("ticket " + id + " ended twice: " + end + ", then " + reason);
        }
        end = reason;
        endedAtNanos = nowNanos;
        phase = Phase.ENDED;
    }

    /** The write that was to grant this ticket failed; its long-polls answer 503 until the store answers. */
    void writeFailed() {
        if (phase == Phase.WAITING) {
            phase = Phase.STORE_FAILED;
        }
    }

    void storeAnswered() {
        if (phase == Phase.STORE_FAILED) {
            phase = Phase.WAITING;
        }
    }

    void attend() {
        attendees++;
    }

    void leave(long nowNanos) {
        attendees--;
        lastAttendedNanos = nowNanos;
    }

    // ---- queries ----

    Phase phase() {
        return phase;
    }

    boolean isWaiting() {
        return phase != Phase.ENDED;
    }

    boolean isTryOnce() {
        return request.waitMillis() == 0;
    }

    /** How the wait ended; only for an ended ticket. */
    WaitEnd endReason() {
        WaitEnd reason = end;
        if (reason == null) {
            throw new IllegalStateException("ticket " + id + " is still waiting");
        }
        return reason;
    }

    @Nullable
    Lease lease() {
        return lease;
    }

    long endedAtNanos() {
        return endedAtNanos;
    }

    boolean isDeadlinePassed(long nowNanos) {
        return !isTryOnce() && nowNanos - deadlineNanos >= 0;
    }

    /** Nobody has polled for longer than {@code ttlNanos}: the waiter has gone away. */
    boolean isAbandoned(long nowNanos, long ttlNanos) {
        return attendees == 0 && nowNanos - lastAttendedNanos > ttlNanos;
    }

    // ---- parking (under the namespace lock) ----

    void park(ParkedPoll poll) {
        if (parked == null) {
            parked = new ArrayList<>(1);
        }
        parked.add(poll);
    }

    /** A poll that ended leaves at once: nothing of it stays with a ticket that may wait for hours. */
    void unpark(ParkedPoll poll) {
        if (parked != null && parked.remove(poll) && parked.isEmpty()) {
            parked = null;
        }
    }

    /** The polls to check again for this change; the caller checks them after releasing the lock. */
    List<ParkedPoll> parkedPolls() {
        return parked == null ? List.of() : List.copyOf(parked);
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
