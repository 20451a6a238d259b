package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.LeaseEnd;
import dev.lockbroker.core.EndReason.WaitEnd;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Who holds and who waits in one namespace — the queue, the tickets and leases it remembers, the
 * hold history — and every transition of a ticket or a lease, with the events and wake-ups it
 * leaves ({@link Effects}). It knows nothing of the log: {@link NamespaceState} decides, from what
 * the log answers, when a grant happens, and reads {@link #changed()} to know that a record may be
 * due. Pure and not thread-safe, like its owner.
 */
final class LockTable {
    final String namespace;
    final LeaseQueue queue = new LeaseQueue();
    final Ledger ledger;
    final HoldHistory history = new HoldHistory();
    private final LongSupplier eventVersions;
    private final Effects effects = new Effects();
    private boolean changed;

    LockTable(String namespace, Ledger ledger, LongSupplier eventVersions) {
        this.namespace = namespace;
        this.ledger = ledger;
        this.eventVersions = eventVersions;
    }

    /** Makes a written grant a lease, or, when its waiter left meanwhile, a lease the next record drops. */
    void grantOrDrop(@Nullable Ticket ticket, LeaseEntry entry, long nowNanos, long nowMillis) {
        if (ticket == null || !ticket.isWaiting() || !queue.waiting.containsKey(ticket.id)) {
            ledger.unpersistedEnd(entry.leaseId());
            changed = true;
            return;
        }
        Lease lease = new Lease(namespace, entry, ticket.request.expectedHoldMillis(), nowNanos, nowMillis);
        queue.waiting.remove(ticket.id);
        hold(lease);
        ticket.grant(lease, nowNanos);
        ledger.ended(ticket);
        effects.wake(ticket);
        LeaseRequest r = ticket.request;
        effects.event(new LockEvent.WaitEnded(
                namespace, r.key().shard(), r.mode(), WaitEnd.GRANTED, nowNanos - ticket.enqueuedNanos));
        countsChanged();
    }

    void hold(Lease lease) {
        queue.holders.put(lease.id, lease);
        ledger.add(lease);
    }

    void endTicket(Ticket ticket, WaitEnd reason, long nowNanos) {
        queue.waiting.remove(ticket.id);
        ticket.end(reason, nowNanos);
        ledger.ended(ticket);
        changed = true;
        effects.wake(ticket);
        effects.event(new LockEvent.WaitEnded(
                namespace,
                ticket.request.key().shard(),
                ticket.request.mode(),
                reason,
                nowNanos - ticket.enqueuedNanos));
        countsChanged();
    }

    /** Takes back a ticket whose request was refused (store unavailable): no trace, no event. */
    void withdraw(Ticket ticket) {
        queue.waiting.remove(ticket.id);
        ledger.forget(ticket);
        changed = true;
        countsChanged();
    }

    void endLease(Lease lease, LeaseEnd reason, long nowNanos) {
        lease.end(reason, nowNanos);
        leaseEnded(lease, reason, nowNanos);
    }

    /** An operator ends a live lease; the next record leaves it out, like a release. */
    void revoke(Lease lease, String reason, long nowNanos) {
        lease.revoke(reason, nowNanos);
        leaseEnded(lease, LeaseEnd.REVOKED, nowNanos);
    }

    private void leaseEnded(Lease lease, LeaseEnd reason, long nowNanos) {
        queue.holders.remove(lease.id);
        ledger.ended(lease);
        changed = true;
        long heldNanos = nowNanos - lease.grantedAtNanos;
        if (reason == LeaseEnd.RELEASED) {
            history.record(lease.key.shard(), heldNanos / 1_000_000);
        }
        effects.event(new LockEvent.LeaseEnded(namespace, lease.key.shard(), lease.mode, reason, heldNanos));
        countsChanged();
    }

    /** Something happened that may call for a write; the commit protocol decides. */
    void markChanged() {
        changed = true;
    }

    void clearChanged() {
        changed = false;
    }

    boolean changed() {
        return changed;
    }

    void countsChanged() {
        int exclusive = queue.exclusiveHeld();
        effects.event(new LockEvent.Counts(
                namespace,
                eventVersions.getAsLong(),
                queue.waiting.size(),
                exclusive,
                queue.holders.size() - exclusive));
    }

    /** What the transitions so far leave for the caller to apply outside the state. */
    Effects effects() {
        return effects;
    }

    /** Every waiting ticket, to wake each long-poll when the broker closes. */
    List<Ticket> waiting() {
        return List.copyOf(queue.waiting.values());
    }

    boolean isActive() {
        return !queue.holders.isEmpty() || !queue.waiting.isEmpty();
    }

    /** A ticket of this namespace, live or recently ended. */
    Optional<Ticket> ticket(String id) {
        return ledger.ticket(id);
    }

    Optional<Lease> lease(String id) {
        return ledger.lease(id);
    }
}
