package dev.lockbroker.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The engine of one namespace: its queue and holders, the requests on them, expiry, and the state
 * its {@link RecordPipeline} writes to the lease log.
 *
 * <p>Concurrency contract: {@code lock} guards every mutable field here (package-private ones are
 * shared with the pipeline) and in the namespace's {@link Lease}s and {@link Ticket}s. No store I/O
 * happens under {@code lock}: the first load holds {@code loadLock} (never {@code lock}) while it
 * reads. At most one commit loop runs per namespace ({@code writing}), so records are written one
 * after another and a transition that arrives during a write joins the next record (group commit).
 * Events are collected under the lock and delivered after it is released.
 *
 * <p>Releases and expiries take effect in memory at once (a record written later omits them); if
 * the broker dies first, recovery brings the lease back with a fresh TTL, which delays waiters but
 * never grants twice. Grants happen only in the pipeline, once their record exists.
 */
final class NamespaceLocks {
    /** A try-once request waits only for the write that decides it; this bounds each wait step. */
    private static final long TRY_ONCE_WAIT_NANOS = 100_000_000;

    final String namespace;
    final LockService.Context context;
    private final ReentrantLock lock = new ReentrantLock();
    final ReentrantLock loadLock = new ReentrantLock();
    final LeaseQueue queue = new LeaseQueue();
    private final HoldHistory history = new HoldHistory();
    private final QueueViews views;
    private final RecordPipeline pipeline;
    private final Map<String, Ticket> ticketsByRequestId = new HashMap<>();
    /** Ended tickets and leases in the order they ended, kept for late lookups, then forgotten. */
    final ArrayDeque<Object> ended = new ArrayDeque<>();
    /** Leases ended here whose removal is not yet in a written record. */
    final Set<String> unpersistedEnds = new HashSet<>();

    final List<LockEvent> events = new ArrayList<>();

    volatile boolean loaded;
    long seq;
    long lastToken;
    boolean writing;
    /** Something happened that may call for a write; the commit loop decides. */
    boolean changed;
    /** The holder set differs from the newest written record. */
    boolean holdersChanged;

    boolean refreshRequested;
    volatile boolean degraded;
    private long lastRefreshNanos;
    /** When the newest successful read or write of the log began: the store's state is known as of then. */
    long lastReadStartNanos;

    /** Forgotten by the service after an idle spell; a request that finds it retired looks again. */
    boolean retired;

    private long idleSinceNanos = -1;

    NamespaceLocks(String namespace, LockService.Context context) {
        this.namespace = namespace;
        this.context = context;
        this.views = new QueueViews(queue, history, context.clock());
        this.pipeline = new RecordPipeline(this);
    }

    void load() {
        pipeline.load();
    }

    // ---- requests ----

    AcquireOutcome acquire(LeaseRequest request, long pollMillis) {
        load();
        if (degraded) {
            context.log().checkReachable();
            degraded = false;
        }
        Joined joined = update(() -> join(request));
        if (joined == Joined.RETIRED) {
            return null;
        }
        if (joined == null) {
            return busy(request);
        }
        return await(joined.ticket(), pollMillis, joined.created());
    }

    /** The ticket a request joins: the one its requestId made before, or a new one; null when busy. */
    private record Joined(Ticket ticket, boolean created) {
        static final Joined RETIRED = new Joined(null, false);
    }

    private Joined join(LeaseRequest request) {
        if (retired) {
            return Joined.RETIRED;
        }
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
            if (lease.isExpired(context.clock().nanoTime())) {
                // Too late: the holder may already count it lost, and a peer may expire it.
                throw new GoneException("the lease expired before this heartbeat", EndReason.EXPIRED, List.of());
            }
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

    /**
     * Ends {@code lease} as revoked by an operator: the next record omits it, like a release, and its
     * holder learns {@code reason} at its next heartbeat. False when it had already ended.
     */
    boolean revoke(Lease lease, String reason) {
        return update(() -> {
            if (lease.ended != null) {
                return false;
            }
            lease.revokedBecause = reason;
            endLease(lease, EndReason.REVOKED);
            return true;
        });
    }

    /**
     * Revokes the holders of exactly {@code key} (all of them, or only the one holding
     * {@code expectedToken}); null when the namespace retired first.
     *
     * @throws RevokeRefusedException nothing holds the key, or not under the expected token
     */
    List<LeaseView> revokeKey(LockKey key, Long expectedToken, String reason) {
        return update(() -> {
            if (retired) {
                return null;
            }
            List<Lease> held = queue.holders.values().stream()
                    .filter(l -> l.key.equals(key))
                    .toList();
            List<Lease> chosen = expectedToken == null
                    ? held
                    : held.stream().filter(l -> l.token == expectedToken).toList();
            if (held.isEmpty()) {
                throw new RevokeRefusedException(RevokeRefusedException.Why.NOT_HELD, "nothing holds " + key);
            }
            if (chosen.isEmpty()) {
                throw new RevokeRefusedException(
                        RevokeRefusedException.Why.HOLDER_MISMATCH,
                        key + " is held under fencing token(s) "
                                + held.stream().map(l -> l.token).toList() + ", not " + expectedToken);
            }
            List<LeaseView> revoked = new ArrayList<>();
            for (Lease lease : chosen) {
                lease.revokedBecause = reason;
                endLease(lease, EndReason.REVOKED);
                revoked.add(lease.view());
            }
            return revoked;
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

    /**
     * Retires the namespace when nothing has happened in it for {@code idleForNanos}: no holders, no
     * waiters, nothing to write or remember. Its state lives on in the log and is loaded again.
     */
    boolean retireIfIdle(long idleForNanos) {
        return locked(() -> {
            long now = context.clock().nanoTime();
            if (!isIdle()) {
                idleSinceNanos = -1;
                return false;
            }
            if (idleSinceNanos == -1) {
                idleSinceNanos = now;
            }
            retired = now - idleSinceNanos >= idleForNanos;
            return retired;
        });
    }

    private boolean isIdle() {
        return !writing
                && !changed
                && !holdersChanged
                && !degraded
                && queue.holders.isEmpty()
                && queue.waiting.isEmpty()
                && ended.isEmpty()
                && ticketsByRequestId.isEmpty()
                && unpersistedEnds.isEmpty()
                && !pipeline.hasAmbiguousGrants();
    }

    boolean retired() {
        return locked(() -> retired);
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
    int expireOverdue(int budget) {
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
        requireRoomForTicket();
        Ticket ticket = new Ticket(
                this,
                Ids.next(),
                request,
                context.clock().nanoTime(),
                context.clock().wallMillis());
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

    /** Refuses a new ticket, before anything is created, when the queue or the ticket table is full. */
    private void requireRoomForTicket() {
        LockService.Settings settings = context.settings();
        if (queue.waiting.size() >= settings.maxQueuedPerNamespace()) {
            throw new LimitExceededException(
                    LimitExceededException.Limit.QUEUED_PER_NAMESPACE,
                    "namespace " + namespace + " has its maximum of " + settings.maxQueuedPerNamespace() + " queued");
        }
        if (context.tickets().size() >= settings.maxTickets()) {
            throw new LimitExceededException(
                    LimitExceededException.Limit.TICKETS,
                    "the broker keeps its maximum of " + settings.maxTickets() + " tickets");
        }
    }

    void endTicket(Ticket ticket, EndReason reason) {
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

    void endLease(Lease lease, EndReason reason) {
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

    void countsChanged() {
        int exclusive = queue.exclusiveHeld();
        events.add(new LockEvent.Counts(
                namespace,
                context.eventVersions().incrementAndGet(),
                queue.waiting.size(),
                exclusive,
                queue.holders.size() - exclusive));
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
                } catch (ExecutionException e) {
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
            throw new GoneException(lease.endMessage(), lease.ended, List.of());
        }
    }

    // ---- lock helpers ----

    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock, then delivers its events and starts a commit loop if needed. */
    /** A listener that throws loses its event, never the namespace's progress. */
    private void deliver(List<LockEvent> toDeliver) {
        for (LockEvent event : toDeliver) {
            try {
                context.listener().on(event);
            } catch (RuntimeException e) {
                context.failures().accept(namespace, e);
            }
        }
    }

    <T> T update(Supplier<T> action) {
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
            if (startCommit) {
                context.executor().execute(pipeline::commitLoop);
            }
            deliver(toDeliver);
        }
    }
}
