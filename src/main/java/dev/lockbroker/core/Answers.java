package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.WaitEnd;
import java.util.List;

/**
 * What a request on a {@link NamespaceState} is answered once its wait is over: a lease, a place in
 * the queue, busy, timed out, or an error that says why not. Part of the state; pure and not
 * thread-safe like it.
 */
final class Answers {
    private final NamespaceState state;
    private final QueueViews views;

    Answers(NamespaceState state, QueueViews views) {
        this.state = state;
        this.views = views;
    }

    /** What an acquire or poll answers once its wait is over. */
    AcquireOutcome outcome(Ticket ticket, boolean createdHere, boolean closing, long nowNanos) {
        if (closing && ticket.isWaiting()) {
            throw new ServiceClosingException();
        }
        Lease lease = ticket.lease();
        if (lease != null) {
            lease.requireLive();
            return new AcquireOutcome.Granted(lease.view());
        }
        if (ticket.phase() == Ticket.Phase.STORE_FAILED) {
            if (createdHere) {
                state.table.withdraw(ticket);
            }
            throw new StoreUnavailableException("the lease store is unavailable; nothing was granted");
        }
        if (ticket.isWaiting() && ticket.isDeadlinePassed(nowNanos)) {
            state.table.endTicket(ticket, WaitEnd.TIMED_OUT, nowNanos);
        }
        if (ticket.isWaiting()) {
            return new AcquireOutcome.Queued(views.ticket(ticket, nowNanos));
        }
        List<HolderView> holders = views.holders(ticket.request.key(), ticket.request.mode(), nowNanos);
        return switch (ticket.endReason()) {
            case BUSY -> new AcquireOutcome.Busy(holders);
            case TIMED_OUT -> {
                if (createdHere) {
                    yield new AcquireOutcome.TimedOut(holders);
                }
                throw new GoneException("the ticket's wait deadline passed", WaitEnd.TIMED_OUT, holders);
            }
            case GRANTED, CANCELLED, ABANDONED ->
                throw new GoneException(
                        "the ticket ended: " + ticket.endReason().wireName(), ticket.endReason(), holders);
        };
    }
}
