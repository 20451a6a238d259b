package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
        AheadCounter counter = new AheadCounter();
        for (Ticket earlier : waiting.values()) {
            if (earlier == ticket) {
                break;
            }
            counter.add(earlier.request.key().shard(), earlier.request.mode());
        }
        return counter.conflictingWith(ticket.request.key().shard(), ticket.request.mode());
    }

    /** For every waiter in queue order, how many waiters before it conflict with it; one pass. */
    IdentityHashMap<Ticket, Integer> conflictingAheadOfEach() {
        IdentityHashMap<Ticket, Integer> result = new IdentityHashMap<>();
        AheadCounter counter = new AheadCounter();
        for (Ticket ticket : waiting.values()) {
            result.put(ticket, counter.conflictingWith(ticket.request.key().shard(), ticket.request.mode()));
            counter.add(ticket.request.key().shard(), ticket.request.mode());
        }
        return result;
    }

    /** Counts of earlier waiters by shard and mode, enough to count those that conflict with a new one. */
    private static final class AheadCounter {
        private int all;
        private int exclusive;
        private int whole;
        private int wholeExclusive;
        private final Map<String, int[]> byShard = new HashMap<>(); // {all, exclusive}

        void add(@Nullable String shard, Mode mode) {
            boolean isExclusive = mode == Mode.EXCLUSIVE;
            all++;
            exclusive += isExclusive ? 1 : 0;
            if (shard == null) {
                whole++;
                wholeExclusive += isExclusive ? 1 : 0;
            } else {
                int[] counts = byShard.computeIfAbsent(shard, s -> new int[2]);
                counts[0]++;
                counts[1] += isExclusive ? 1 : 0;
            }
        }

        int conflictingWith(@Nullable String shard, Mode mode) {
            boolean isExclusive = mode == Mode.EXCLUSIVE;
            if (shard == null) {
                return isExclusive ? all : exclusive;
            }
            int[] counts = byShard.getOrDefault(shard, new int[2]);
            return isExclusive ? whole + counts[0] : wholeExclusive + counts[1];
        }
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

    private Footprint footprintOfHolders() {
        Footprint held = new Footprint();
        holders.values().forEach(h -> held.add(h.key.shard(), h.mode));
        return held;
    }
}
