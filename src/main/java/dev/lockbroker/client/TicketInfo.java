package dev.lockbroker.client;

import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.Mode;
import java.time.Instant;
import java.util.List;

/**
 * A place in a queue: {@code position} 1 is next, {@code ahead} counts the conflicting requests before
 * it, {@code etaSeconds} is null while the key has no hold history, {@code holders} are those it waits
 * behind.
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
        Instant deadline,
        List<HolderView> holders) {}
