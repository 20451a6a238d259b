package dev.lockbroker.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The engine of one namespace: its queue, its holders, and the write pipeline to its lease log.
 *
 * <p>Concurrency contract: {@code lock} guards every mutable field here and in the namespace's
 * {@link Lease}s and {@link Ticket}s. No store I/O happens under {@code lock}: the one exception is
 * the first load, which holds {@code loadLock} (never {@code lock}) while it reads. At most one
 * commit loop runs per namespace ({@code writing}), so records are written one after another and a
 * transition that arrives during a write joins the next record (group commit). Events are collected
 * under the lock and delivered after it is released.
 *
 * <p>Safety rests on one rule: a ticket becomes a lease only in {@link #onWritten}, after the
 * record that contains the lease was created in the log. Releases and expiries take effect in
 * memory at once (a record written later omits them); if the broker dies first, recovery brings the
 * lease back with a fresh TTL, which delays waiters but never grants twice.
 */
final class NamespaceLocks {
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    /** A try-once request waits only for the write that decides it; this bounds each wait step. */
    private static final long TRY_ONCE_WAIT_NANOS = 100_000_000;

    final String namespace;
    private final LockService.Context context;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock loadLock = new ReentrantLock();
    private final LeaseQueue queue = new LeaseQueue();
    private final HoldHistory history = new HoldHistory();
    private final QueueViews views;
    private final Map<String, Ticket> ticketsByRequestId = new HashMap<>();
    /** Ended tickets and leases in the order they ended, kept for late lookups, then forgotten. */
    private final ArrayDeque<Object> ended = new ArrayDeque<>();
    /** Leases ended here whose removal is not yet in a written record. */
    private final Set<String> unpersistedEnds = new HashSet<>();

    private final List<LockEvent> events = new ArrayList<>();

    private volatile boolean loaded;
    private long seq;
    private long lastToken;
    private boolean writing;
    /** Something happened that may call for a write; the commit loop decides. */
    private boolean changed;
    /** The holder set differs from the newest written record. */
    private boolean holdersChanged;

    private boolean refreshRequested;
    private volatile boolean degraded;
    private long lastRefreshNanos;
    /** When the newest successful read or write of the log began: the store's state is known as of then. */
    private long lastReadStartNanos;
    /**
     * Grants of writes that failed without an answer: their record may exist. If a record read later
     * holds one of these lease ids, the grant happened. Keyed by lease id; dropped once a record at or
     * past the failed number is known not to hold them.
     */
    private final Map<String, AmbiguousGrant> ambiguousGrants = new HashMap<>();

    private long countsVersion;
    /** Owned by the single running commit loop. */
    private long backoffMillis;

    NamespaceLocks(String namespace, LockService.Context context) {
        this.namespace = namespace;
        this.context = context;
        this.views = new QueueViews(queue, history, context.clock());
    }

    // ---- requests ----

    AcquireOutcome acquire(LeaseRequest request, long pollMillis) {
        load();
        if (degraded) {
            context.log().checkReachable();
            degraded = false;
        }
        Joined joined = update(() -> join(request));
        if (joined == null) {
            return busy(request);
        }
        return await(joined.ticket(), pollMillis, joined.created());
    }

    /** The ticket a request joins: the one its requestId made before, or a new one; null when busy. */
    private record Joined(Ticket ticket, boolean created) {}

    private Joined join(LeaseRequest request) {
        Ticket existing = request.requestId() == null ? null : ticketsByRequestId.get(request.requestId());
        if (existing != null) {
            return new Joined(existing, false);
        }
        Ticket ticket = enqueue(request);
        return ticket == null ? null : new Joined(ticket, true);
    }

    AcquireOutcome poll(Ticket ticket, long pollMillis) {
        return await(ticket, pollMillis, false);
    }

    void cancel(Ticket ticket) {
        update(() -> {
            if (ticket.lease != null) {
                if (ticket.lease.ended == null) {
                    endLease(ticket.lease, EndReason.RELEASED);
                }
            } else if (ticket.ended == null) {
                endTicket(ticket, EndReason.CANCELLED);
            }
            return null;
        });
    }

    LeaseView heartbeat(Lease lease) {
        return locked(() -> {
            requireLive(lease);
            lease.renew(context.clock().nanoTime(), context.clock().wallMillis());
            return lease.view();
        });
    }

    LeaseView describe(Lease lease) {
        return locked(() -> {
            requireLive(lease);
            return lease.view();
        });
    }

    /** Ends the lease; true when it was live or already released, false when it had expired or been revoked. */
    boolean release(Lease lease) {
        return update(() -> {
            if (lease.ended == null) {
                endLease(lease, EndReason.RELEASED);
                return true;
            }
            return lease.ended == EndReason.RELEASED;
        });
    }

    LockService.NamespaceStatus status() {
        return locked(() -> views.status(namespace));
    }

    /** Wakes every parked long-poll, so each can answer that the broker is closing. */
    void wakeAll() {
        locked(() -> {
            queue.waiting.values().forEach(Ticket::wakeWaiters);
            return null;
        });
    }

    boolean isWriting() {
        return locked(() -> writing);
    }

    boolean isActive() {
        return locked(() -> !queue.holders.isEmpty() || !queue.waiting.isEmpty());
    }

    // ---- periodic work ----

    /** Expires leases, times out and drops tickets, forgets old ends; at most {@code budget} changes. */
    int sweep(int budget) {
        return update(() -> {
            long now = context.clock().nanoTime();
            int done = 0;
            done += expireOverdue(budget);
            for (Lease lease : queue.holders.values()) {
                if (lease.isExpired(now)) {
                    // Another broker may have renewed it: expire only after a read that began past the deadline.
                    refreshRequested = true;
                    changed = true;
                }
                if (lease.needsRenewalRecord()) {
                    changed = true;
                }
            }
            for (Ticket ticket : List.copyOf(queue.waiting.values())) {
                EndReason reason = staleReason(ticket, now);
                if (done < budget && reason != null) {
                    endTicket(ticket, reason);
                    done++;
                }
            }
            done += forgetOldEnds(now, budget - done);
            requestRefreshWhenBlocked(now);
            return done;
        });
    }

    /**
     * Ends the leases whose deadline passed before the newest read of the store began: that read
     * would have shown a renewal persisted by any other broker.
     */
    private int expireOverdue(int budget) {
        long now = context.clock().nanoTime();
        int done = 0;
        for (Lease lease : List.copyOf(queue.holders.values())) {
            if (done < budget && lease.isExpired(now) && lastReadStartNanos - lease.deadlineNanos >= 0) {
                endLease(lease, EndReason.EXPIRED);
                done++;
            }
        }
        return done;
    }

    private EndReason staleReason(Ticket ticket, long now) {
        if (!ticket.isTryOnce() && now - ticket.deadlineNanos >= 0) {
            return EndReason.TIMED_OUT;
        }
        if (ticket.attendees == 0
                && now - ticket.lastAttendedNanos > context.settings().ticketTtlMillis() * 1_000_000) {
            return EndReason.ABANDONED;
        }
        return null;
    }

    /** With waiters blocked behind holders, look for records another broker may have written. */
    private void requestRefreshWhenBlocked(long now) {
        long every = context.settings().peerRefreshMillis() * 1_000_000;
        if (every > 0 && !queue.waiting.isEmpty() && !queue.holders.isEmpty() && now - lastRefreshNanos > every) {
            lastRefreshNanos = now;
            refreshRequested = true;
            changed = true;
        }
    }

    private int forgetOldEnds(long now, int budget) {
        long retention = context.settings().endedRetentionMillis() * 1_000_000;
        int forgotten = 0;
        while (forgotten < budget && !ended.isEmpty()) {
            Object oldest = ended.peekFirst();
            long endedAt = oldest instanceof Ticket t ? t.endedAtNanos : ((Lease) oldest).endedAtNanos;
            if (now - endedAt < retention) {
                break;
            }
            ended.pollFirst();
            if (oldest instanceof Ticket t) {
                context.tickets().remove(t.id);
                if (t.request.requestId() != null) {
                    ticketsByRequestId.remove(t.request.requestId(), t);
                }
            } else if (((Lease) oldest).ended != null) {
                context.leases().remove(((Lease) oldest).id, oldest);
            }
            forgotten++;
        }
        return forgotten;
    }

    // ---- state transitions (under lock) ----

    private Ticket enqueue(LeaseRequest request) {
        Ticket ticket = new Ticket(
                Ids.next(), request, context.clock().nanoTime(), context.clock().wallMillis());
        if (ticket.isTryOnce() && !queue.wouldGrantAtBack(request.key(), request.mode())) {
            return null;
        }
        queue.waiting.put(ticket.id, ticket);
        context.tickets().put(ticket.id, ticket);
        if (request.requestId() != null) {
            ticketsByRequestId.put(request.requestId(), ticket);
        }
        changed = true;
        countsChanged();
        return ticket;
    }

    private void endTicket(Ticket ticket, EndReason reason) {
        queue.waiting.remove(ticket.id);
        ticket.ended = reason;
        ticket.endedAtNanos = context.clock().nanoTime();
        ended.addLast(ticket);
        changed = true;
        ticket.wakeWaiters();
        events.add(new LockEvent.WaitEnded(
                namespace,
                ticket.request.key().shard(),
                ticket.request.mode(),
                reason,
                ticket.endedAtNanos - ticket.enqueuedNanos));
        countsChanged();
    }

    /** Takes back a ticket whose request was refused (store unavailable): no trace, no event. */
    private void withdraw(Ticket ticket) {
        queue.waiting.remove(ticket.id);
        context.tickets().remove(ticket.id);
        if (ticket.request.requestId() != null) {
            ticketsByRequestId.remove(ticket.request.requestId(), ticket);
        }
        ticket.ended = EndReason.CANCELLED;
        changed = true;
        countsChanged();
    }

    private void endLease(Lease lease, EndReason reason) {
        long now = context.clock().nanoTime();
        queue.holders.remove(lease.id);
        lease.ended = reason;
        lease.endedAtNanos = now;
        ended.addLast(lease);
        unpersistedEnds.add(lease.id);
        holdersChanged = true;
        changed = true;
        long heldNanos = now - lease.grantedAtNanos;
        if (reason == EndReason.RELEASED) {
            history.record(lease.key.shard(), heldNanos / 1_000_000);
        }
        events.add(new LockEvent.LeaseEnded(namespace, lease.key.shard(), lease.mode, reason, heldNanos));
        countsChanged();
    }

    private void countsChanged() {
        int exclusive = queue.exclusiveHeld();
        events.add(new LockEvent.Counts(
                namespace, ++countsVersion, queue.waiting.size(), exclusive, queue.holders.size() - exclusive));
    }

    // ---- waiting ----

    private AcquireOutcome await(Ticket ticket, long pollMillis, boolean createdHere) {
        Clock clock = context.clock();
        long pollUntil = clock.nanoTime() + pollMillis * 1_000_000;
        locked(() -> ticket.attendees++);
        try {
            while (true) {
                var wake = locked(
                        () -> ticket.isSettled() || ticket.storeFailed || context.isClosed() ? null : ticket.wake);
                long until = ticket.isTryOnce() ? pollUntil : Math.min(pollUntil, ticket.deadlineNanos);
                long remaining = until - clock.nanoTime();
                if (wake == null || (remaining <= 0 && !ticket.isTryOnce())) {
                    break;
                }
                try {
                    wake.get(ticket.isTryOnce() ? TRY_ONCE_WAIT_NANOS : remaining, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (!ticket.isTryOnce()) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            locked(() -> {
                ticket.attendees--;
                ticket.lastAttendedNanos = clock.nanoTime();
                return null;
            });
        }
        return update(() -> outcome(ticket, createdHere));
    }

    private AcquireOutcome outcome(Ticket ticket, boolean createdHere) {
        if (context.isClosed() && !ticket.isSettled()) {
            throw new ServiceClosingException();
        }
        Lease lease = ticket.lease;
        if (lease != null) {
            requireLive(lease);
            return new AcquireOutcome.Granted(lease.view());
        }
        if (ticket.ended == null && ticket.storeFailed) {
            if (createdHere) {
                withdraw(ticket);
            }
            throw new StoreUnavailableException("the lease store is unavailable; nothing was granted");
        }
        if (ticket.ended == null && !ticket.isTryOnce() && context.clock().nanoTime() - ticket.deadlineNanos >= 0) {
            endTicket(ticket, EndReason.TIMED_OUT);
        }
        if (ticket.ended == null) {
            return new AcquireOutcome.Queued(views.ticket(ticket));
        }
        List<HolderView> holders = views.holders(ticket.request.key(), ticket.request.mode());
        return switch (ticket.ended) {
            case BUSY -> new AcquireOutcome.Busy(holders);
            case TIMED_OUT -> {
                if (createdHere) {
                    yield new AcquireOutcome.TimedOut(holders);
                }
                throw new GoneException("the ticket's wait deadline passed", EndReason.TIMED_OUT, holders);
            }
            default -> throw new GoneException("the ticket ended: " + ticket.ended.wireName(), ticket.ended, holders);
        };
    }

    private AcquireOutcome busy(LeaseRequest request) {
        return locked(() -> new AcquireOutcome.Busy(views.holders(request.key(), request.mode())));
    }

    private void requireLive(Lease lease) {
        if (lease.ended != null) {
            throw new GoneException("the lease ended: " + lease.ended.wireName(), lease.ended, List.of());
        }
    }

    // ---- loading and writing ----

    void load() {
        if (loaded) {
            return;
        }
        loadLock.lock();
        try {
            if (!loaded) {
                long readStart = context.clock().nanoTime();
                Optional<LeaseRecord> latest = context.log().latestAfter(namespace, 0);
                update(() -> {
                    latest.ifPresent(this::apply);
                    storeAnswered(readStart);
                    loaded = true;
                    return null;
                });
            }
        } finally {
            loadLock.unlock();
        }
    }

    private record Plan(
            LeaseRecord record,
            List<Ticket> grants,
            List<LeaseEntry> grantEntries,
            Set<String> endsCovered,
            boolean holdersChanged) {}

    /** A grant whose record write failed without an answer, so the record may exist. */
    private record AmbiguousGrant(long seq, Ticket ticket) {}

    /**
     * Runs on the commit executor until nothing is left to write; one per namespace at a time. After a
     * store failure it hands the pipeline to a retry scheduled after a backoff, and returns.
     */
    private void commitLoop() {
        boolean handedOff = false;
        try {
            while (!context.isClosed()) {
                Plan plan = null;
                try {
                    refreshIfRequested();
                    plan = update(this::planWrite);
                    if (plan == null) {
                        handedOff = true; // planWrite ended the loop under the lock
                        return;
                    }
                    write(plan);
                    backoffMillis = 0;
                } catch (RuntimeException e) {
                    Plan failed = plan;
                    update(() -> onWriteFailed(failed));
                    backoffMillis = Math.min(Math.max(backoffMillis * 2, MIN_BACKOFF_MILLIS), MAX_BACKOFF_MILLIS);
                    context.failures().accept(namespace, e);
                    CompletableFuture.delayedExecutor(backoffMillis, TimeUnit.MILLISECONDS, context.executor())
                            .execute(this::commitLoop);
                    handedOff = true;
                    return;
                }
            }
        } finally {
            if (!handedOff) {
                locked(() -> writing = false);
            }
        }
    }

    private void refreshIfRequested() {
        boolean refresh = locked(() -> {
            boolean requested = refreshRequested;
            refreshRequested = false;
            return requested;
        });
        if (refresh) {
            long readStart = context.clock().nanoTime();
            Optional<LeaseRecord> newer = context.log().latestAfter(namespace, locked(() -> seq));
            update(() -> {
                newer.ifPresent(this::apply);
                storeAnswered(readStart);
                return null;
            });
        }
    }

    /** Appends the planned record; on a lost race adopts the record that won instead. */
    private void write(Plan plan) {
        long writeStart = context.clock().nanoTime();
        if (context.log().append(namespace, plan.record)) {
            update(() -> {
                onWritten(plan);
                storeAnswered(writeStart);
                return null;
            });
            return;
        }
        long readStart = context.clock().nanoTime();
        LeaseRecord winner = context.log()
                .latestAfter(namespace, plan.record.seq() - 1)
                .orElseThrow(() ->
                        new StoreUnavailableException("record " + plan.record.seq() + " exists but cannot be read"));
        update(() -> {
            apply(winner); // the planned grants are still queued and are planned again
            storeAnswered(readStart);
            return null;
        });
    }

    /**
     * The store answered a read or write that began at {@code startNanos}: its state is known as of
     * then. Clears the outage marks, forgets ambiguous grants that can no longer appear, and expires
     * leases whose deadline passed before that moment.
     */
    private void storeAnswered(long startNanos) {
        lastReadStartNanos = Math.max(lastReadStartNanos, startNanos);
        degraded = false;
        queue.waiting.values().forEach(t -> t.storeFailed = false);
        ambiguousGrants.values().removeIf(g -> g.seq() <= seq);
        expireOverdue(Integer.MAX_VALUE);
    }

    private Plan planWrite() {
        List<Ticket> grants = queue.grantable();
        for (Ticket ticket : List.copyOf(queue.waiting.values())) {
            if (ticket.isTryOnce() && !grants.contains(ticket)) {
                endTicket(ticket, EndReason.BUSY);
            }
        }
        boolean renewalsDue = queue.holders.values().stream().anyMatch(Lease::needsRenewalRecord);
        changed = false;
        if (grants.isEmpty() && !holdersChanged && !renewalsDue) {
            writing = false;
            return null;
        }
        long nowMillis = context.clock().wallMillis();
        long token = lastToken;
        List<LeaseEntry> entries = new ArrayList<>();
        queue.holders.values().forEach(l -> entries.add(l.toEntry()));
        List<LeaseEntry> grantEntries = new ArrayList<>();
        for (Ticket ticket : grants) {
            LeaseRequest r = ticket.request;
            grantEntries.add(new LeaseEntry(
                    LeaseIds.next(namespace),
                    r.key().shard(),
                    r.mode(),
                    ++token,
                    r.holder(),
                    r.ttlMillis(),
                    nowMillis,
                    nowMillis));
        }
        entries.addAll(grantEntries);
        boolean hadHolderChanges = holdersChanged;
        holdersChanged = false;
        LeaseRecord record = new LeaseRecord(seq + 1, token, nowMillis, entries);
        return new Plan(record, grants, grantEntries, Set.copyOf(unpersistedEnds), hadHolderChanges);
    }

    private void onWritten(Plan plan) {
        LeaseRecord record = plan.record;
        seq = record.seq();
        lastToken = record.lastToken();
        unpersistedEnds.removeAll(plan.endsCovered);
        for (LeaseEntry entry : record.leases()) {
            Lease held = queue.holders.get(entry.leaseId());
            if (held != null) {
                held.persistedRenewedAtMillis = Math.max(held.persistedRenewedAtMillis, entry.renewedAtMillis());
            }
        }
        long nowNanos = context.clock().nanoTime();
        for (int i = 0; i < plan.grants.size(); i++) {
            grantOrDrop(plan.grants.get(i), plan.grantEntries.get(i), nowNanos);
        }
    }

    /** Makes a written grant a lease, or, when its waiter left meanwhile, a lease the next record drops. */
    private void grantOrDrop(Ticket ticket, LeaseEntry entry, long nowNanos) {
        if (ticket.ended != null || !queue.waiting.containsKey(ticket.id)) {
            unpersistedEnds.add(entry.leaseId());
            holdersChanged = true;
            changed = true;
            return;
        }
        Lease lease = new Lease(entry, namespace, nowNanos, context.clock().wallMillis());
        queue.waiting.remove(ticket.id);
        queue.holders.put(lease.id, lease);
        context.leases().put(lease.id, lease);
        ticket.lease = lease;
        ticket.ended = EndReason.GRANTED;
        ticket.endedAtNanos = nowNanos;
        ended.addLast(ticket);
        ticket.wakeWaiters();
        LeaseRequest r = ticket.request;
        events.add(new LockEvent.WaitEnded(
                namespace, r.key().shard(), r.mode(), EndReason.GRANTED, nowNanos - ticket.enqueuedNanos));
        countsChanged();
    }

    private Void onWriteFailed(Plan plan) {
        degraded = true;
        changed = true;
        if (plan != null) {
            holdersChanged |= plan.holdersChanged;
            for (int i = 0; i < plan.grants.size(); i++) {
                Ticket ticket = plan.grants.get(i);
                ambiguousGrants.put(plan.grantEntries.get(i).leaseId(), new AmbiguousGrant(plan.record.seq(), ticket));
                if (ticket.ended == null) {
                    ticket.storeFailed = true;
                    ticket.wakeWaiters();
                }
            }
        }
        return null;
    }

    /** Adopts {@code record}, written here or by another broker, as the namespace's newest state. */
    private void apply(LeaseRecord record) {
        long nowNanos = context.clock().nanoTime();
        long nowMillis = context.clock().wallMillis();
        seq = record.seq();
        lastToken = Math.max(lastToken, record.lastToken());
        Set<String> inRecord = new HashSet<>();
        for (LeaseEntry entry : record.leases()) {
            inRecord.add(entry.leaseId());
            AmbiguousGrant ambiguous = ambiguousGrants.remove(entry.leaseId());
            if (ambiguous != null) {
                grantOrDrop(ambiguous.ticket(), entry, nowNanos); // its record exists after all
                continue;
            }
            if (unpersistedEnds.contains(entry.leaseId()) && !revivedByPeer(entry, nowNanos, nowMillis)) {
                holdersChanged = true;
                continue;
            }
            Lease known = queue.holders.get(entry.leaseId());
            if (known == null) {
                // Recovered or granted elsewhere: more than a full TTL of grace from now, so no live holder is
                // displaced.
                Lease lease = new Lease(entry, namespace, nowNanos, nowMillis);
                lease.renewFromPeer(nowNanos, nowMillis);
                queue.holders.put(lease.id, lease);
                context.leases().put(lease.id, lease);
            } else if (entry.renewedAtMillis() > known.renewedAtMillis) {
                renewFromRecord(known, entry, nowNanos, nowMillis);
            }
        }
        for (Lease lease : List.copyOf(queue.holders.values())) {
            if (!inRecord.contains(lease.id)) {
                endLease(lease, EndReason.REVOKED);
                unpersistedEnds.remove(lease.id);
            }
        }
        unpersistedEnds.retainAll(inRecord);
        holdersChanged = !unpersistedEnds.isEmpty();
        changed = true;
        countsChanged();
    }

    /**
     * A lease this broker expired but another broker renewed later (its holder heartbeats there):
     * it lives on, held again here.
     */
    private boolean revivedByPeer(LeaseEntry entry, long nowNanos, long nowMillis) {
        Lease lease = context.leases().get(entry.leaseId());
        if (lease == null || lease.ended != EndReason.EXPIRED || entry.renewedAtMillis() <= lease.renewedAtMillis) {
            return false;
        }
        unpersistedEnds.remove(lease.id);
        lease.ended = null;
        renewFromRecord(lease, entry, nowNanos, nowMillis);
        queue.holders.put(lease.id, lease);
        return true;
    }

    private static void renewFromRecord(Lease lease, LeaseEntry entry, long nowNanos, long nowMillis) {
        lease.renewFromPeer(nowNanos, nowMillis);
        lease.renewedAtMillis = entry.renewedAtMillis();
        lease.persistedRenewedAtMillis = entry.renewedAtMillis();
    }

    // ---- lock helpers ----

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock, then delivers its events and starts a commit loop if needed. */
    private <T> T update(Supplier<T> action) {
        List<LockEvent> toDeliver = List.of();
        boolean startCommit = false;
        lock.lock();
        try {
            return action.get();
        } finally {
            if (!events.isEmpty()) {
                toDeliver = List.copyOf(events);
                events.clear();
            }
            if (changed && !writing && loaded && !context.isClosed()) {
                writing = true;
                startCommit = true;
            }
            lock.unlock();
            toDeliver.forEach(context.listener()::on);
            if (startCommit) {
                context.executor().execute(this::commitLoop);
            }
        }
    }
}
