package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The holders and the FIFO queue of one namespace, and the rule that decides who is granted: a
 * waiter is granted when it is compatible with every holder and no earlier waiter conflicts with it.
 * Compatible waiters at the head are granted together. Not thread-safe: its namespace guards it.
 */
final class LeaseQueue {
    final Map<String, Lease> holders = new LinkedHashMap<>();
    /** Waiting tickets by id, in arrival order. */
    final Map<String, Ticket> waiting = new LinkedHashMap<>();

    /** The waiters that may be granted now, in queue order. */
    List<Ticket> grantable() {
        Footprint held = footprintOfHolders();
        Footprint earlier = new Footprint();
        List<Ticket> result = new ArrayList<>();
        for (Ticket ticket : waiting.values()) {
            String shard = ticket.request.key().shard();
            Mode mode = ticket.request.mode();
            if (!held.conflictsWith(shard, mode) && !earlier.conflictsWith(shard, mode)) {
                result.add(ticket);
            }
            earlier.add(shard, mode);
        }
        return result;
    }

    /** Whether a request joining the back of the queue now would be granted at once. */
    boolean wouldGrantAtBack(LockKey key, Mode mode) {
        Footprint all = footprintOfHolders();
        waiting.values().forEach(t -> all.add(t.request.key().shard(), t.request.mode()));
        return !all.conflictsWith(key.shard(), mode);
    }

    /** How many waiters queued before {@code ticket} conflict with it. */
    int conflictingAhead(Ticket ticket) {
        int ahead = 0;
        for (Ticket earlier : waiting.values()) {
            if (earlier == ticket) {
                break;
            }
            if (conflicts(earlier.request, ticket.request.key(), ticket.request.mode())) {
                ahead++;
            }
        }
        return ahead;
    }

    List<Lease> conflictingHolders(LockKey key, Mode mode) {
        return holders.values().stream()
                .filter(h -> h.key.conflictsWith(h.mode, key, mode))
                .toList();
    }

    int exclusiveHeld() {
        return (int)
                holders.values().stream().filter(h -> h.mode == Mode.EXCLUSIVE).count();
    }

    private static boolean conflicts(LeaseRequest earlier, LockKey key, Mode mode) {
        return earlier.key().conflictsWith(earlier.mode(), key, mode);
    }

    private Footprint footprintOfHolders() {
        Footprint held = new Footprint();
        holders.values().forEach(h -> held.add(h.key.shard(), h.mode));
        return held;
    }
}
