package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the transitions of a {@link NamespaceState} leave for its caller to apply: events to deliver
 * outside the lock, and tickets whose parked long-polls to wake under it. Not thread-safe.
 */
final class Effects {
    private final List<LockEvent> events = new ArrayList<>();
    private final List<Ticket> woken = new ArrayList<>();

    void event(LockEvent event) {
        events.add(event);
    }

    void wake(Ticket ticket) {
        woken.add(ticket);
    }

    /** Events since the last call, in order. */
    List<LockEvent> drainEvents() {
        List<LockEvent> drained = List.copyOf(events);
        events.clear();
        return drained;
    }

    /** Tickets that ended, were granted, or whose write failed since the last call. */
    List<Ticket> drainWoken() {
        List<Ticket> drained = List.copyOf(woken);
        woken.clear();
        return drained;
    }
}
