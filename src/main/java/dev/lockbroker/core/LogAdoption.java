package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.LeaseEnd;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link NamespaceState} takes on a record read from the log — written by another broker, by
 * an earlier run of this one, or by this one when the answer to its write was lost. Part of the
 * state; not thread-safe.
 */
final class LogAdoption {
    /** A grant whose record write failed without an answer, so the record may exist. */
    private record AmbiguousGrant(long seq, Ticket ticket) {}

    private final NamespaceState state;
    /**
     * Grants of writes that failed without an answer, by lease id: if a record read later holds one,
     * the grant happened. Dropped once a record at or past the failed number is known not to hold them.
     */
    private final Map<String, AmbiguousGrant> ambiguousGrants = new HashMap<>();

    LogAdoption(NamespaceState state) {
        this.state = state;
    }

    void ambiguous(CommitStep.Write plan) {
        for (int i = 0; i < plan.grants().size(); i++) {
            ambiguousGrants.put(
                    plan.grantEntries().get(i).leaseId(),
                    new AmbiguousGrant(plan.record().seq(), plan.grants().get(i)));
        }
    }

    boolean hasAmbiguousGrants() {
        return !ambiguousGrants.isEmpty();
    }

    void forgetAmbiguousUpTo(long seq) {
        ambiguousGrants.values().removeIf(g -> g.seq() <= seq);
    }

    /**
     * Adopts {@code record} as the namespace's newest state, once {@link RecordInvariants} accept it:
     * grants it proves, leases it adds or renews, and leases it no longer holds (revoked here).
     */
    void adopt(LeaseRecord record, long nowNanos, long nowMillis) {
        RecordInvariants.checkAdopted(
                record,
                state.seq,
                state.lastToken,
                id -> state.table.ledger.knowsLease(id) || ambiguousGrants.containsKey(id));
        state.seq = record.seq();
        state.lastToken = record.lastToken();
        Set<String> inRecord = new HashSet<>();
        for (LeaseEntry entry : record.leases()) {
            inRecord.add(entry.leaseId());
            AmbiguousGrant ambiguous = ambiguousGrants.remove(entry.leaseId());
            if (ambiguous != null) {
                grantLate(ambiguous.ticket(), entry, nowNanos, nowMillis); // its record exists after all
            } else if (!state.table.ledger.isUnpersistedEnd(entry.leaseId())
                    || revivedByPeer(entry, nowNanos, nowMillis)) {
                holdOrRenew(entry, nowNanos, nowMillis);
            }
        }
        for (Lease lease : List.copyOf(state.table.queue.holders.values())) {
            if (!inRecord.contains(lease.id)) {
                state.table.endLease(lease, LeaseEnd.REVOKED, nowNanos);
                state.table.ledger.endPersisted(lease.id);
            }
        }
        state.table.ledger.keepUnpersistedIn(inRecord);
        state.table.markChanged();
        state.table.countsChanged();
    }

    private void holdOrRenew(LeaseEntry entry, long nowNanos, long nowMillis) {
        Lease known = state.table.queue.holders.get(entry.leaseId());
        if (known == null) {
            // Recovered or granted elsewhere: more than a full TTL of grace from now, so no live holder is displaced.
            state.table.hold(Lease.adopted(state.namespace, entry, nowNanos, nowMillis));
        } else if (entry.renewedAtMillis() > known.persistedRenewedAtMillis()) {
            known.renewFromRecord(entry, nowNanos, nowMillis);
        }
    }

    /**
     * Grants a lease whose record turned out to exist, dated from the record: a peer that read the
     * record counts its grace from then, so the lease must not outlive that here either.
     */
    private void grantLate(Ticket ticket, LeaseEntry entry, long nowNanos, long nowMillis) {
        long ageMillis = Math.max(0, nowMillis - entry.renewedAtMillis());
        if (ageMillis >= entry.ttlMillis()) {
            state.table.grantOrDrop(null, entry, nowNanos, nowMillis);
            return;
        }
        state.table.grantOrDrop(ticket, entry, nowNanos, nowMillis);
        Lease lease = ticket.lease();
        if (lease != null && lease.id.equals(entry.leaseId())) {
            lease.backdate(ageMillis);
        }
    }

    /**
     * A lease this broker expired but another broker renewed later (its holder heartbeats there):
     * it lives on, held again here.
     */
    private boolean revivedByPeer(LeaseEntry entry, long nowNanos, long nowMillis) {
        Lease lease = state.table.ledger.lease(entry.leaseId()).orElse(null);
        if (lease == null || lease.end() != LeaseEnd.EXPIRED || entry.renewedAtMillis() <= lease.renewedAtMillis()) {
            return false;
        }
        state.table.ledger.endPersisted(lease.id);
        lease.revive(entry, nowNanos, nowMillis);
        state.table.queue.holders.put(lease.id, lease);
        return true;
    }
}
