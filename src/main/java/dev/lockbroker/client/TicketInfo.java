package dev.lockbroker.client;

import dev.lockbroker.core.Mode;
import java.time.Instant;

/**
 * A place in a queue: {@code position} 1 is next, {@code ahead} counts the conflicting requests before
 * it, {@code etaSeconds} is null while the key has no hold history.
 */
public record TicketInfo(
        String ticketId,
        String namespace,
        String shard,
        Mode mode,
        int position,
        int ahead,
        Double etaSeconds,
        boolean etaExceedsDeadline,
        double waitedSeconds,
        Instant deadline) {}
