package dev.lockbroker.core;

import org.jspecify.annotations.Nullable;

/**
 * A queued request as returned to its waiter. {@code position} is 1 for the next to be granted;
 * {@code ahead} counts the conflicting requests queued before it; {@code etaMillis} is null until the
 * key has a hold history or a declared hold; {@code holders} are the holders it waits behind now.
 */
public record TicketView(
        String ticketId,
        LockKey key,
        Mode mode,
        int position,
        int ahead,
        @Nullable Long etaMillis,
        boolean etaExceedsDeadline,
        long waitedMillis,
        long deadlineMillis,
        java.util.List<HolderView> holders) {}
