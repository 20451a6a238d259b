package dev.lockbroker.core;

import java.util.List;

/** What an acquire or a ticket poll came to. */
public sealed interface AcquireOutcome {
    record Granted(LeaseView lease) implements AcquireOutcome {}

    record Queued(TicketView ticket) implements AcquireOutcome {}

    /** A try-once request found the key taken; nothing was queued. */
    record Busy(List<HolderView> holders) implements AcquireOutcome {}

    /** The request's own wait deadline passed while it was still queued; the ticket has ended. */
    record TimedOut(List<HolderView> holders) implements AcquireOutcome {}
}
