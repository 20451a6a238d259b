package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.LeaseEnd;
import dev.lockbroker.core.EndReason.WaitEnd;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The commit protocol of one namespace: what the log holds (its position, the write in flight, the
 * store's health), what must be written next, and what each answer of the log does to the
 * {@link LockTable} of holders and waiters. Pure: no locks, no I/O, no clock reads — each call gets the time, and
 * callers apply what it returns ({@link CommitStep}s to run, {@link Effects}: events to deliver,
 * tickets whose long-polls to wake). Not thread-safe: {@link NamespaceLocks}
 * calls it under its lock.
 *
 * <p>Safety rests on one rule: a ticket becomes a lease ({@link LockTable#grantOrDrop}) only from
 * {@link #written} or {@link LogAdoption}, once the record holding the lease is known to exist in the log. Releases and expiries
 * take effect here at once; the next record leaves them out.
 */
final class NamespaceState {
    /** How long ends alone may wait for an acquire's record to ride on; see {@link #lingers}. */
    static final long ENDS_LINGER_NANOS = 20_000_000;

    /** Where the namespace's state comes from: nothing yet, the log, or nowhere (forgotten). */
    enum Lifecycle {
        UNLOADED,
        LIVE,
        RETIRED
    }

    /** Whether the newest store call answered; a failure makes the next acquire check the store first. */
    enum StoreHealth {
        ANSWERING,
        FAILING
    }

    /** What {@link #release} found. */
    enum Release {
        RELEASED,
        WAS_RELEASED,
        /** Ended otherwise first (expired or revoked): {@link Lease#end()} says how. */
        HAD_ENDED
    }

    final String namespace;
    final LockSettings settings;
    final LockTable table;
    private final QueueViews views;
    private final LogAdoption adoption;
    private final Housekeeping housekeeping;
    private final Answers answers;

    private Lifecycle lifecycle = Lifecycle.UNLOADED;
    private StoreHealth health = StoreHealth.ANSWERING;
    long seq;
    long lastToken;
    private boolean refreshWanted;
    /**
     * Since when ends alone (releases, nothing to grant) have waited for a record, so that an acquire
     * arriving meanwhile writes them in its grant's record: one PUT per uncontended acquire+release
     * instead of two. Empty while nothing waits so.
     */
    private OptionalLong endsLingeringSince = OptionalLong.empty();
    /** The broker is stopping: ends are written at once. */
    private boolean flushing;

    private CommitStep.@Nullable Write inFlight;
    /** When the newest answered read or write of the log began: the store's state is known as of then. */
    private long lastReadStartNanos;

    NamespaceState(String namespace, LockSettings settings, Directory directory, LongSupplier eventVersions) {
        this.namespace = namespace;
        this.settings = settings;
        this.table = new LockTable(
                namespace, new Ledger(directory, settings.endedRetentionMillis() * 1_000_000), eventVersions);
        this.views = new QueueViews(table.queue, table.history);
        this.adoption = new LogAdoption(this);
        this.housekeeping = new Housekeeping(this);
        this.answers = new Answers(this, views);
    }

    // ---- loading ----

    Lifecycle lifecycle() {
        return lifecycle;
    }

    /** The first read of the log answered: adopt its newest record. Ignored once retired. */
    void loaded(Optional<LeaseRecord> latest, long readStartNanos, long nowNanos, long nowMillis) {
        if (lifecycle != Lifecycle.UNLOADED) {
            return; // retired while reading: a fresh engine owns the namespace now
        }
        lastReadStartNanos = readStartNanos;
        latest.ifPresent(record -> adoption.adopt(record, nowNanos, nowMillis));
        lifecycle = Lifecycle.LIVE;
        storeAnswered(readStartNanos, nowNanos);
    }

    StoreHealth health() {
        return health;
    }

    // ---- requests ----

    /** A request joins the queue, or finds the ticket its request id made before. */
    Joined join(LeaseRequest request, String ticketId, long nowNanos, long nowMillis) {
        if (lifecycle == Lifecycle.RETIRED) {
            return new Joined.Retired();
        }
        Optional<Ticket> existing = table.ledger.ticketForRequest(request.requestId());
        if (existing.isPresent()) {
            return new Joined.Existing(existing.get());
        }
        if (request.waitMillis() == 0 && !table.queue.wouldGrantAtBack(request.key(), request.mode())) {
            return new Joined.Busy();
        }
        settings.requireRoomForTicket(namespace, table.queue.waiting.size(), table.ledger.ticketsKeptByService());
        Ticket ticket = new Ticket(ticketId, request, nowNanos, nowMillis);
        table.queue.waiting.put(ticket.id, ticket);
        table.ledger.add(ticket);
        table.markChanged();
        table.countsChanged();
        return new Joined.Created(ticket);
    }

    /** Leaves the queue; a ticket already granted releases its lease. */
    void cancel(Ticket ticket, long nowNanos) {
        Lease lease = ticket.lease();
        if (lease != null) {
            if (lease.isLive()) {
                table.endLease(lease, LeaseEnd.RELEASED, nowNanos);
            }
        } else if (ticket.isWaiting()) {
            table.endTicket(ticket, WaitEnd.CANCELLED, nowNanos);
        }
    }

    /** The holder lets go; the next record leaves the lease out. */
    Release release(Lease lease, long nowNanos) {
        LeaseEnd end = lease.end();
        if (end == null) {
            table.endLease(lease, LeaseEnd.RELEASED, nowNanos);
            return Release.RELEASED;
        }
        return end == LeaseEnd.RELEASED ? Release.WAS_RELEASED : Release.HAD_ENDED;
    }

    /** Renews a live lease for a full TTL; too late once its deadline passed (a peer may expire it). */
    LeaseView heartbeat(Lease lease, long nowNanos, long nowMillis) {
        lease.requireLive();
        if (lease.isExpired(nowNanos)) {
            throw new GoneException("the lease expired before this heartbeat", LeaseEnd.EXPIRED, List.of());
        }
        lease.renew(nowNanos, nowMillis);
        return lease.view();
    }

    /** What an acquire or poll answers once its wait is over; see {@link Answers}. */
    AcquireOutcome outcome(Ticket ticket, boolean createdHere, boolean closing, long nowNanos) {
        if (lifecycle == Lifecycle.RETIRED && ticket.phase() == Ticket.Phase.WAITING) {
            // Evicted (another broker serves the namespace now): the waiter asks again and is sent there.
            throw new StoreUnavailableException("namespace " + namespace + " moved to another broker: ask again");
        }
        return answers.outcome(ticket, createdHere, closing, nowNanos);
    }

    AcquireOutcome.Busy busy(LeaseRequest request, long nowNanos) {
        return new AcquireOutcome.Busy(views.holders(request.key(), request.mode(), nowNanos));
    }

    LockService.NamespaceStatus status(long nowNanos) {
        return views.status(namespace, nowNanos);
    }

    // ---- periodic work ----

    /** Expires leases, times out and drops tickets, forgets old ends; at most {@code budget} changes. */
    int sweep(int budget, long nowNanos) {
        return housekeeping.sweep(budget, nowNanos);
    }

    /** Retires the namespace once it has been idle for {@code idleForNanos}; see {@link Housekeeping}. */
    boolean retireIfIdle(long idleForNanos, boolean commitIdle, long nowNanos) {
        return housekeeping.retireIfIdle(idleForNanos, commitIdle && isIdle(), nowNanos);
    }

    /**
     * Ends the leases whose deadline passed before the newest read of the store began: that read
     * would have shown a renewal persisted by any other broker.
     */
    int expireOverdue(int budget, long nowNanos) {
        int done = 0;
        for (Lease lease : List.copyOf(table.queue.holders.values())) {
            if (done < budget && lease.isExpired(nowNanos) && lastReadStartNanos - lease.deadlineNanos() >= 0) {
                table.endLease(lease, LeaseEnd.EXPIRED, nowNanos);
                done++;
            }
        }
        return done;
    }

    void wantRefresh() {
        refreshWanted = true;
    }

    void retire() {
        lifecycle = Lifecycle.RETIRED;
    }

    /** No holders, no waiters, nothing to write or remember. */
    private boolean isIdle() {
        return !hasWork()
                && inFlight == null
                && health == StoreHealth.ANSWERING
                && table.queue.holders.isEmpty()
                && table.queue.waiting.isEmpty()
                && table.ledger.isEmpty()
                && !adoption.hasAmbiguousGrants();
    }

    // ---- the commit protocol: plan, then what the log answered ----

    /** Whether a commit loop has something to do. */
    boolean hasWork() {
        return lifecycle == Lifecycle.LIVE && (table.changed() || refreshWanted);
    }

    /**
     * The next step of the commit loop: a read another broker's records call for, the next record
     * (grants, ends, renewals due), or nothing. A try-once waiter the next record cannot grant is
     * busy.
     */
    CommitStep nextStep(long nowNanos, long nowMillis) {
        if (lifecycle != Lifecycle.LIVE) {
            return CommitStep.Idle.INSTANCE;
        }
        if (refreshWanted) {
            refreshWanted = false;
            return new CommitStep.Refresh(seq);
        }
        table.clearChanged();
        List<Ticket> grants = table.queue.grantable();
        for (Ticket ticket : List.copyOf(table.queue.waiting.values())) {
            if (ticket.isTryOnce() && !grants.contains(ticket)) {
                table.endTicket(ticket, WaitEnd.BUSY, nowNanos);
                table.clearChanged();
            }
        }
        boolean renewalsDue = table.queue.holders.values().stream().anyMatch(Lease::needsRenewalRecord);
        if (grants.isEmpty() && !table.ledger.hasEndsNotIn(inFlight) && !renewalsDue) {
            endsLingeringSince = OptionalLong.empty();
            return CommitStep.Idle.INSTANCE;
        }
        if (grants.isEmpty() && !renewalsDue && lingers(nowNanos)) {
            return CommitStep.Idle.INSTANCE;
        }
        endsLingeringSince = OptionalLong.empty();
        CommitStep.Write plan = CommitStep.Write.plan(
                namespace,
                seq,
                lastToken,
                table.queue.holders.values(),
                grants,
                table.ledger.unpersistedEnds(),
                nowMillis);
        RecordInvariants.checkAppend(plan.record(), seq, lastToken, table.queue.holders::containsKey);
        inFlight = plan;
        return plan;
    }

    /**
     * Whether ends alone wait a little longer for a record: only releases (a revoke or an expiry is
     * written at once, so a restarted broker never brings it back), only while no one waits here (a waiter
     * blocked behind another holder gains nothing from the record, but a peer's might) and for
     * {@link #ENDS_LINGER_NANOS} at most, after which the sweep's next look writes them. A release
     * not yet written only keeps the lease in the log a little longer, which delays others and
     * never lets two hold.
     */
    private boolean lingers(long nowNanos) {
        if (flushing || !table.queue.waiting.isEmpty() || !table.ledger.unpersistedEndsAreReleases()) {
            return false;
        }
        if (endsLingeringSince.isEmpty()) {
            endsLingeringSince = OptionalLong.of(nowNanos);
            return true;
        }
        return nowNanos - endsLingeringSince.getAsLong() < ENDS_LINGER_NANOS;
    }

    /** The sweep's look: once ends have lingered their time, the next step writes them. */
    void endLingerIfOver(long nowNanos) {
        if (endsLingeringSince.isPresent() && nowNanos - endsLingeringSince.getAsLong() >= ENDS_LINGER_NANOS) {
            table.markChanged();
        }
    }

    /** Whether ends are waiting for a record not yet in flight. */
    boolean hasEndsToWrite() {
        return table.ledger.hasEndsNotIn(inFlight);
    }

    /** The broker is stopping: ends no longer linger, and the next step writes them. */
    void flush() {
        flushing = true;
        table.markChanged();
    }

    /** The planned record was created: its grants become leases (or, if the waiter left, are dropped). */
    void written(CommitStep.Write plan, long writeStartNanos, long nowNanos, long nowMillis) {
        inFlight = null;
        LeaseRecord record = plan.record();
        seq = record.seq();
        lastToken = record.lastToken();
        table.ledger.persisted(plan.endsCovered());
        for (LeaseEntry entry : record.leases()) {
            Lease held = table.queue.holders.get(entry.leaseId());
            if (held != null) {
                held.written(entry);
            }
        }
        for (int i = 0; i < plan.grants().size(); i++) {
            table.grantOrDrop(plan.grants().get(i), plan.grantEntries().get(i), nowNanos, nowMillis);
        }
        storeAnswered(writeStartNanos, nowNanos);
    }

    /** Another broker created the planned record's number first: adopt its record; the grants stay queued. */
    void lostRace(CommitStep.Write plan, LeaseRecord winner, long readStartNanos, long nowNanos, long nowMillis) {
        inFlight = null;
        // Its ends have lingered once: tried again at once, or a busier peer would win every time.
        endsLingeringSince = OptionalLong.of(nowNanos - ENDS_LINGER_NANOS);
        adoption.adopt(winner, nowNanos, nowMillis);
        storeAnswered(readStartNanos, nowNanos);
    }

    /** A read for newer records answered. */
    void refreshed(Optional<LeaseRecord> newer, long readStartNanos, long nowNanos, long nowMillis) {
        newer.ifPresent(record -> adoption.adopt(record, nowNanos, nowMillis));
        storeAnswered(readStartNanos, nowNanos);
    }

    /**
     * A read or write failed without an answer ({@code step} is what was tried). A failed write may
     * have created its record all the same: its grants are remembered as ambiguous until a record
     * shows whether they happened, and their waiters answer 503 meanwhile.
     */
    void storeFailed(CommitStep step) {
        health = StoreHealth.FAILING;
        table.markChanged();
        if (step instanceof CommitStep.Write plan) {
            inFlight = null;
            adoption.ambiguous(plan);
            for (Ticket ticket : plan.grants()) {
                if (ticket.isWaiting()) {
                    ticket.writeFailed();
                    table.effects().wake(ticket);
                }
            }
        } else if (step instanceof CommitStep.Refresh) {
            refreshWanted = true;
        }
    }

    /** The store was reachable when asked directly; acquires go ahead. */
    void storeReachable() {
        health = StoreHealth.ANSWERING;
    }

    /**
     * The store answered a call that began at {@code startNanos}: its state is known as of then.
     * Clears the outage marks, forgets ambiguous grants that can no longer appear, and expires
     * leases whose deadline passed before that moment.
     */
    private void storeAnswered(long startNanos, long nowNanos) {
        if (startNanos - lastReadStartNanos > 0) {
            lastReadStartNanos = startNanos;
        }
        health = StoreHealth.ANSWERING;
        table.queue.waiting.values().forEach(Ticket::storeAnswered);
        adoption.forgetAmbiguousUpTo(seq);
        expireOverdue(Integer.MAX_VALUE, nowNanos);
    }
}
