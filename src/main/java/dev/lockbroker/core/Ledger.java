package dev.lockbroker.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one namespace remembers by id: its tickets (also by request id) and leases, live and
 * recently ended, and which ended leases a written record still holds. Ends are kept for the
 * retention so late lookups answer 410, then forgotten. Part of {@link NamespaceState}; not
 * thread-safe.
 */
final class Ledger {
    private final Directory directory;
    private final long retentionNanos;
    private final Map<String, Ticket> tickets = new HashMap<>();
    private final Map<String, Ticket> ticketsByRequestId = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    /** In the order they ended; a revived lease may appear twice (its newer end is the one that counts). */
    private final ArrayDeque<Ticket> endedTickets = new ArrayDeque<>();

    private final ArrayDeque<Lease> endedLeases = new ArrayDeque<>();
    /** Leases ended here whose removal is not yet in a written record. */
    private final Set<String> unpersistedEnds = new HashSet<>();

    Ledger(Directory directory, long retentionNanos) {
        this.directory = directory;
        this.retentionNanos = retentionNanos;
    }

    void add(Ticket ticket) {
        tickets.put(ticket.id, ticket);
        String requestId = ticket.request.requestId();
        if (requestId != null) {
            ticketsByRequestId.put(requestId, ticket);
        }
        directory.added(ticket.id);
        directory.ticketsChanged(1);
    }

    void add(Lease lease) {
        leases.put(lease.id, lease);
        directory.added(lease.id);
    }

    Optional<Ticket> ticket(String id) {
        return Optional.ofNullable(tickets.get(id));
    }

    Optional<Ticket> ticketForRequest(@Nullable String requestId) {
        return requestId == null ? Optional.empty() : Optional.ofNullable(ticketsByRequestId.get(requestId));
    }

    Optional<Lease> lease(String id) {
        return Optional.ofNullable(leases.get(id));
    }

    /** Tickets this ledger counts in the service's total (until forgotten). */
    int ticketCount() {
        return tickets.size();
    }

    int ticketsKeptByService() {
        return directory.ticketsKept();
    }

    boolean knowsLease(String id) {
        return leases.containsKey(id) || unpersistedEnds.contains(id);
    }

    void ended(Ticket ticket) {
        endedTickets.addLast(ticket);
    }

    void ended(Lease lease) {
        endedLeases.addLast(lease);
        unpersistedEnds.add(lease.id);
    }

    /** A ticket taken back as if it never was (its request was refused). */
    void forget(Ticket ticket) {
        if (tickets.remove(ticket.id, ticket)) {
            directory.forgotten(ticket.id);
            directory.ticketsChanged(-1);
        }
        String requestId = ticket.request.requestId();
        if (requestId != null) {
            ticketsByRequestId.remove(requestId, ticket);
        }
    }

    // ---- ends the log does not know yet ----

    /** A lease in the log that no longer holds here: the next record leaves it out. */
    void unpersistedEnd(String leaseId) {
        unpersistedEnds.add(leaseId);
    }

    boolean isUnpersistedEnd(String leaseId) {
        return unpersistedEnds.contains(leaseId);
    }

    /** The log shows the lease's end (a record without it), or holds it again (revived). */
    void endPersisted(String leaseId) {
        unpersistedEnds.remove(leaseId);
    }

    /** Whether every end still to be written is a holder's release (not an expiry, a revoke, a peer's end). */
    boolean unpersistedEndsAreReleases() {
        for (String id : unpersistedEnds) {
            Lease lease = leases.get(id);
            if (lease == null || lease.end() != EndReason.LeaseEnd.RELEASED) {
                return false;
            }
        }
        return true;
    }

    /** A record written here left these out. */
    void persisted(Set<String> leaseIds) {
        unpersistedEnds.removeAll(leaseIds);
    }

    /** The newest record holds {@code inRecord}: only ends among those are still to be written. */
    void keepUnpersistedIn(Set<String> inRecord) {
        unpersistedEnds.retainAll(inRecord);
    }

    Set<String> unpersistedEnds() {
        return Set.copyOf(unpersistedEnds);
    }

    /** Whether an end is still to be written that the record in flight ({@code inFlight}) leaves in. */
    boolean hasEndsNotIn(CommitStep.@Nullable Write inFlight) {
        if (inFlight == null) {
            return !unpersistedEnds.isEmpty();
        }
        for (String id : unpersistedEnds) {
            if (!inFlight.endsCovered().contains(id)) {
                return true;
            }
        }
        return false;
    }

    // ---- forgetting ----

    /** Forgets tickets and leases that ended more than the retention ago; at most {@code budget}. */
    int forgetOldEnds(long nowNanos, int budget) {
        int forgotten = 0;
        while (forgotten < budget && isOld(endedTickets.peekFirst(), nowNanos)) {
            Ticket ticket = endedTickets.removeFirst();
            forget(ticket);
            forgotten++;
        }
        while (forgotten < budget && isOld(endedLeases.peekFirst(), nowNanos)) {
            Lease lease = endedLeases.removeFirst();
            if (!lease.isLive() && leases.remove(lease.id, lease)) {
                directory.forgotten(lease.id); // a revived lease stays: it is held again
            }
            forgotten++;
        }
        return forgotten;
    }

    private boolean isOld(@Nullable Ticket ticket, long nowNanos) {
        return ticket != null && nowNanos - ticket.endedAtNanos() >= retentionNanos;
    }

    private boolean isOld(@Nullable Lease lease, long nowNanos) {
        return lease != null && nowNanos - lease.endedAtNanos() >= retentionNanos;
    }

    /** Nothing left to remember or write. */
    boolean isEmpty() {
        return endedTickets.isEmpty()
                && endedLeases.isEmpty()
                && unpersistedEnds.isEmpty()
                && ticketsByRequestId.isEmpty();
    }
}
