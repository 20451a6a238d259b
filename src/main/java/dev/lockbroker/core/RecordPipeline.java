package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The storage step of one namespace: loads its newest record, plans the next record from the
 * namespace's state, writes it create-only, and applies what the log answered — a written record
 * (grants become leases), a record another broker won with, or a failure (retried after a backoff).
 *
 * <p>Concurrency contract: every method that touches {@link NamespaceLocks} state does so under its
 * lock ({@code ns.update}/{@code ns.locked}); store I/O happens outside it. Only one commit loop runs
 * at a time ({@code ns.writing}); {@code backoffMillis} and {@code ambiguousGrants} belong to it, the
 * latter also to {@code apply} under the lock.
 *
 * <p>Safety rests on one rule: a ticket becomes a lease only in {@link #grantOrDrop}, called once the
 * record holding the lease is known to exist in the log.
 */
final class RecordPipeline {
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final NamespaceLocks ns;
    /**
     * Grants of writes that failed without an answer: their record may exist. If a record read later
     * holds one of these lease ids, the grant happened. Keyed by lease id; dropped once a record at or
     * past the failed number is known not to hold them.
     */
    private final Map<String, AmbiguousGrant> ambiguousGrants = new HashMap<>();

    private long backoffMillis;

    RecordPipeline(NamespaceLocks ns) {
        this.ns = ns;
    }

    /** Under the namespace lock. */
    boolean hasAmbiguousGrants() {
        return !ambiguousGrants.isEmpty();
    }

    void load() {
        if (ns.loaded) {
            return;
        }
        ns.loadLock.lock();
        try {
            if (!ns.loaded) {
                long readStart = ns.context.clock().nanoTime();
                Optional<LeaseRecord> latest = ns.context.log().latestAfter(ns.namespace, 0);
                ns.update(() -> {
                    if (ns.retired) {
                        return null; // retired while reading: a fresh engine owns the namespace now
                    }
                    latest.ifPresent(this::apply);
                    storeAnswered(readStart);
                    ns.loaded = true;
                    return null;
                });
            }
        } finally {
            ns.loadLock.unlock();
        }
    }

    private record Plan(
            LeaseRecord record,
            List<Ticket> grants,
            List<LeaseEntry> grantEntries,
            Set<String> endsCovered,
            boolean holdersChanged) {}

    /** Nothing to write, but a read was asked for meanwhile. */
    private static final Plan REFRESH_PENDING = new Plan(null, List.of(), List.of(), Set.of(), false);

    /** A grant whose record write failed without an answer, so the record may exist. */
    private record AmbiguousGrant(long seq, Ticket ticket) {}

    /**
     * Runs on the commit executor until nothing is left to write; one per namespace at a time. After a
     * store failure it hands the pipeline to a retry scheduled after a backoff, and returns.
     */
    void commitLoop() {
        boolean handedOff = false;
        try {
            while (!ns.context.isClosed()) {
                Plan plan = null;
                try {
                    refreshIfRequested();
                    plan = ns.update(this::planWrite);
                    if (plan == null) {
                        handedOff = true; // planWrite ended the loop under the lock
                        return;
                    }
                    if (plan == REFRESH_PENDING) {
                        plan = null;
                        continue;
                    }
                    write(plan);
                    backoffMillis = 0;
                } catch (RuntimeException e) {
                    Plan failed = plan;
                    ns.update(() -> onWriteFailed(failed));
                    backoffMillis = Math.min(Math.max(backoffMillis * 2, MIN_BACKOFF_MILLIS), MAX_BACKOFF_MILLIS);
                    ns.context.failures().accept(ns.namespace, e);
                    CompletableFuture.delayedExecutor(backoffMillis, TimeUnit.MILLISECONDS, ns.context.executor())
                            .execute(this::commitLoop);
                    handedOff = true;
                    return;
                }
            }
        } finally {
            if (!handedOff) {
                ns.locked(() -> ns.writing = false);
            }
        }
    }

    private void refreshIfRequested() {
        boolean refresh = ns.locked(() -> {
            boolean requested = ns.refreshRequested;
            ns.refreshRequested = false;
            return requested;
        });
        if (refresh) {
            long readStart = ns.context.clock().nanoTime();
            Optional<LeaseRecord> newer = ns.context.log().latestAfter(ns.namespace, ns.locked(() -> ns.seq));
            ns.update(() -> {
                newer.ifPresent(this::apply);
                storeAnswered(readStart);
                return null;
            });
        }
    }

    /** Appends the planned record; on a lost race adopts the record that won instead. */
    private void write(Plan plan) {
        long writeStart = ns.context.clock().nanoTime();
        if (ns.context.log().append(ns.namespace, plan.record)) {
            ns.update(() -> {
                onWritten(plan);
                storeAnswered(writeStart);
                return null;
            });
            return;
        }
        long readStart = ns.context.clock().nanoTime();
        LeaseRecord winner = ns.context
                .log()
                .latestAfter(ns.namespace, plan.record.seq() - 1)
                .orElseThrow(() ->
                        new StoreUnavailableException("record " + plan.record.seq() + " exists but cannot be read"));
        ns.update(() -> {
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
        ns.lastReadStartNanos = Math.max(ns.lastReadStartNanos, startNanos);
        ns.degraded = false;
        ns.queue.waiting.values().forEach(t -> t.storeFailed = false);
        ambiguousGrants.values().removeIf(g -> g.seq() <= ns.seq);
        ns.expireOverdue(Integer.MAX_VALUE);
    }

    private Plan planWrite() {
        List<Ticket> grants = ns.queue.grantable();
        for (Ticket ticket : List.copyOf(ns.queue.waiting.values())) {
            if (ticket.isTryOnce() && !grants.contains(ticket)) {
                ns.endTicket(ticket, EndReason.BUSY);
            }
        }
        boolean renewalsDue = ns.queue.holders.values().stream().anyMatch(Lease::needsRenewalRecord);
        ns.changed = false;
        if (grants.isEmpty() && !ns.holdersChanged && !renewalsDue) {
            if (ns.refreshRequested) {
                return REFRESH_PENDING; // asked for while this loop ran: read before stopping
            }
            ns.writing = false;
            return null;
        }
        long nowMillis = ns.context.clock().wallMillis();
        long token = ns.lastToken;
        List<LeaseEntry> entries = new ArrayList<>();
        ns.queue.holders.values().forEach(l -> entries.add(l.toEntry()));
        List<LeaseEntry> grantEntries = new ArrayList<>();
        for (Ticket ticket : grants) {
            LeaseRequest r = ticket.request;
            grantEntries.add(new LeaseEntry(
                    LeaseIds.next(ns.namespace),
                    r.key().shard(),
                    r.mode(),
                    ++token,
                    r.holder(),
                    r.ttlMillis(),
                    nowMillis,
                    nowMillis));
        }
        entries.addAll(grantEntries);
        boolean hadHolderChanges = ns.holdersChanged;
        ns.holdersChanged = false;
        LeaseRecord record = new LeaseRecord(ns.seq + 1, token, nowMillis, entries);
        return new Plan(record, grants, grantEntries, Set.copyOf(ns.unpersistedEnds), hadHolderChanges);
    }

    private void onWritten(Plan plan) {
        LeaseRecord record = plan.record;
        ns.seq = record.seq();
        ns.lastToken = record.lastToken();
        ns.unpersistedEnds.removeAll(plan.endsCovered);
        for (LeaseEntry entry : record.leases()) {
            Lease held = ns.queue.holders.get(entry.leaseId());
            if (held != null) {
                held.persistedRenewedAtMillis = Math.max(held.persistedRenewedAtMillis, entry.renewedAtMillis());
            }
        }
        long nowNanos = ns.context.clock().nanoTime();
        for (int i = 0; i < plan.grants.size(); i++) {
            grantOrDrop(plan.grants.get(i), plan.grantEntries.get(i), nowNanos);
        }
    }

    /** Makes a written grant a lease, or, when its waiter left meanwhile, a lease the next record drops. */
    private void grantOrDrop(Ticket ticket, LeaseEntry entry, long nowNanos) {
        if (ticket == null || ticket.ended != null || !ns.queue.waiting.containsKey(ticket.id)) {
            ns.unpersistedEnds.add(entry.leaseId());
            ns.holdersChanged = true;
            ns.changed = true;
            return;
        }
        Lease lease = new Lease(ns, entry, nowNanos, ns.context.clock().wallMillis());
        lease.expectedHoldMillis = ticket.request.expectedHoldMillis();
        ns.queue.waiting.remove(ticket.id);
        ns.queue.holders.put(lease.id, lease);
        ns.context.leases().put(lease.id, lease);
        ticket.lease = lease;
        ticket.ended = EndReason.GRANTED;
        ticket.endedAtNanos = nowNanos;
        ns.ended.addLast(ticket);
        ticket.wakeWaiters();
        LeaseRequest r = ticket.request;
        ns.events.add(new LockEvent.WaitEnded(
                ns.namespace, r.key().shard(), r.mode(), EndReason.GRANTED, nowNanos - ticket.enqueuedNanos));
        ns.countsChanged();
    }

    private Void onWriteFailed(Plan plan) {
        ns.degraded = true;
        ns.changed = true;
        if (plan != null) {
            ns.holdersChanged |= plan.holdersChanged;
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
        long nowNanos = ns.context.clock().nanoTime();
        long nowMillis = ns.context.clock().wallMillis();
        ns.seq = record.seq();
        ns.lastToken = Math.max(ns.lastToken, record.lastToken());
        Set<String> inRecord = new HashSet<>();
        for (LeaseEntry entry : record.leases()) {
            inRecord.add(entry.leaseId());
            AmbiguousGrant ambiguous = ambiguousGrants.remove(entry.leaseId());
            if (ambiguous != null) {
                grantLate(ambiguous.ticket(), entry, nowNanos, nowMillis); // its record exists after all
                continue;
            }
            if (ns.unpersistedEnds.contains(entry.leaseId()) && !revivedByPeer(entry, nowNanos, nowMillis)) {
                ns.holdersChanged = true;
                continue;
            }
            Lease known = ns.queue.holders.get(entry.leaseId());
            if (known == null) {
                // Recovered or granted elsewhere: more than a full TTL of grace from now, so no live holder is
                // displaced.
                Lease lease = new Lease(ns, entry, nowNanos, nowMillis);
                lease.renewFromPeer(nowNanos, nowMillis);
                ns.queue.holders.put(lease.id, lease);
                ns.context.leases().put(lease.id, lease);
            } else if (entry.renewedAtMillis() > known.persistedRenewedAtMillis) {
                renewFromRecord(known, entry, nowNanos, nowMillis);
            }
        }
        for (Lease lease : List.copyOf(ns.queue.holders.values())) {
            if (!inRecord.contains(lease.id)) {
                ns.endLease(lease, EndReason.REVOKED);
                ns.unpersistedEnds.remove(lease.id);
            }
        }
        ns.unpersistedEnds.retainAll(inRecord);
        ns.holdersChanged = !ns.unpersistedEnds.isEmpty();
        ns.changed = true;
        ns.countsChanged();
    }

    /**
     * Grants a lease whose record turned out to exist, dated from the record: a peer that read the
     * record counts its grace from then, so the lease must not outlive that here either.
     */
    private void grantLate(Ticket ticket, LeaseEntry entry, long nowNanos, long nowMillis) {
        long ageMillis = Math.max(0, nowMillis - entry.renewedAtMillis());
        if (ageMillis >= entry.ttlMillis()) {
            grantOrDrop(null, entry, nowNanos);
            return;
        }
        grantOrDrop(ticket, entry, nowNanos);
        Lease lease = ticket.lease;
        if (lease != null && lease.id.equals(entry.leaseId())) {
            lease.deadlineNanos -= ageMillis * 1_000_000;
            lease.expiresAtMillis -= ageMillis;
        }
    }

    /**
     * A lease this broker expired but another broker renewed later (its holder heartbeats there):
     * it lives on, held again here.
     */
    private boolean revivedByPeer(LeaseEntry entry, long nowNanos, long nowMillis) {
        Lease lease = ns.context.leases().get(entry.leaseId());
        if (lease == null || lease.ended != EndReason.EXPIRED || entry.renewedAtMillis() <= lease.renewedAtMillis) {
            return false;
        }
        ns.unpersistedEnds.remove(lease.id);
        lease.ended = null;
        renewFromRecord(lease, entry, nowNanos, nowMillis);
        ns.queue.holders.put(lease.id, lease);
        return true;
    }

    private static void renewFromRecord(Lease lease, LeaseEntry entry, long nowNanos, long nowMillis) {
        lease.renewFromPeer(nowNanos, nowMillis);
        lease.renewedAtMillis = entry.renewedAtMillis();
        lease.persistedRenewedAtMillis = entry.renewedAtMillis();
    }
}
