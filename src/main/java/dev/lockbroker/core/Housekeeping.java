package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.WaitEnd;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The periodic work on a {@link NamespaceState}: expiry, stale tickets, forgetting old ends, reads
 * for other brokers' records, and retiring an idle namespace. Part of the state; pure and not
 * thread-safe like it.
 */
final class Housekeeping {
    /**
     * How many times the peer-refresh period a namespace waits between such reads while every holder
     * blocking it talks only to this broker: a peer then learns of the lease only from a client that
     * moved to it, and only such a release goes unseen until a read (at 200 busy namespaces the reads
     * every second were a GET per namespace per second, more than a third of the broker's CPU).
     */
    static final int HERE_ONLY_REFRESH_FACTOR = 5;

    private final NamespaceState state;
    /** When the last read for peers' records was asked for; null before the first. */
    private @Nullable Long lastRefreshNanos;

    private @Nullable Long idleSinceNanos;

    Housekeeping(NamespaceState state) {
        this.state = state;
    }

    /** Expires leases, times out and drops tickets, forgets old ends; at most {@code budget} changes. */
    int sweep(int budget, long nowNanos) {
        int done = state.expireOverdue(budget, nowNanos);
        for (Lease lease : state.table.queue.holders.values()) {
            if (lease.isExpired(nowNanos)) {
                // Another broker may have renewed it: expire only after a read that began past the deadline.
                state.wantRefresh();
            }
            if (lease.needsRenewalRecord()) {
                state.table.markChanged();
            }
        }
        for (Ticket ticket : List.copyOf(state.table.queue.waiting.values())) {
            WaitEnd reason = staleReason(ticket, nowNanos);
            if (done < budget && reason != null) {
                state.table.endTicket(ticket, reason, nowNanos);
                done++;
            }
        }
        state.endLingerIfOver(nowNanos);
        done += state.table.ledger.forgetOldEnds(nowNanos, budget - done);
        requestRefreshWhenBlocked(nowNanos);
        return done;
    }

    private @Nullable WaitEnd staleReason(Ticket ticket, long nowNanos) {
        if (ticket.isDeadlinePassed(nowNanos)) {
            return WaitEnd.TIMED_OUT;
        }
        if (ticket.isAbandoned(nowNanos, state.settings.ticketTtlMillis() * 1_000_000)) {
            return WaitEnd.ABANDONED;
        }
        return null;
    }

    /**
     * With waiters blocked behind holders, look for records another broker may have written: every
     * peer-refresh period when a holder has been seen at a peer, {@link #HERE_ONLY_REFRESH_FACTOR}
     * times that otherwise.
     */
    private void requestRefreshWhenBlocked(long nowNanos) {
        boolean peerHolder =
                state.table.queue.holders.values().stream().anyMatch(lease -> lease.contact() == Lease.Contact.PEER);
        long every = state.settings.peerRefreshMillis() * 1_000_000 * (peerHolder ? 1 : HERE_ONLY_REFRESH_FACTOR);
        Long last = lastRefreshNanos;
        boolean due = last == null || nowNanos - last > every;
        if (every > 0 && due && !state.table.queue.waiting.isEmpty() && !state.table.queue.holders.isEmpty()) {
            lastRefreshNanos = nowNanos;
            state.wantRefresh();
        }
    }

    /**
     * Retires the namespace once nothing has happened in it for {@code idleForNanos}: no holders, no
     * waiters, nothing to write or remember. Its state lives on in the log and is loaded again.
     */
    boolean retireIfIdle(long idleForNanos, boolean idle, long nowNanos) {
        if (!idle) {
            idleSinceNanos = null;
            return false;
        }
        Long since = idleSinceNanos;
        if (since == null) {
            idleSinceNanos = nowNanos;
        } else if (nowNanos - since >= idleForNanos) {
            state.retire();
        }
        return state.lifecycle() == NamespaceState.Lifecycle.RETIRED;
    }
}
