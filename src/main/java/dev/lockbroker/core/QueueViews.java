package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What waiters and operators see of one namespace: ticket positions, ETAs, holders and queues.
 * Reads only; called under the namespace lock.
 */
final class QueueViews {
    private final LeaseQueue queue;
    private final HoldHistory history;

    QueueViews(LeaseQueue queue, HoldHistory history) {
        this.queue = queue;
        this.history = history;
    }

    TicketView ticket(Ticket ticket, long now) {
        LeaseRequest request = ticket.request;
        int ahead = queue.conflictingAhead(ticket);
        @Nullable Long eta = estimateWaitMillis(request, ahead, now);
        long remainingMillis = (ticket.deadlineNanos - now) / 1_000_000;
        return new TicketView(
                ticket.id,
                request.key(),
                request.mode(),
                ahead + 1,
                ahead,
                eta,
                eta != null && eta > remainingMillis,
                (now - ticket.enqueuedNanos) / 1_000_000,
                ticket.deadlineMillis);
    }

    /** Remaining hold of the longest conflicting holder plus one mean hold per conflicting waiter ahead. */
    private @Nullable Long estimateWaitMillis(LeaseRequest request, int ahead, long now) {
        OptionalDouble known = history.meanMillis(request.key().shard());
        if (known.isEmpty()) {
            return null; // shown as no ETA yet
        }
        double mean = known.getAsDouble();
        double current = 0;
        for (Lease holder : queue.conflictingHolders(request.key(), request.mode())) {
            double expected = history.meanMillis(holder.key.shard()).orElse(mean);
            current = Math.max(current, expected - (now - holder.grantedAtNanos) / 1e6);
        }
        return Math.round(Math.max(0, current) + ahead * mean);
    }

    List<HolderView> holders(LockKey key, Mode mode, long now) {
        return queue.conflictingHolders(key, mode).stream()
                .map(h -> h.holderView(now))
                .toList();
    }

    LockService.NamespaceStatus status(String namespace, long now) {
        Map<String, List<HolderView>> holders = new TreeMap<>(Comparator.nullsFirst(String::compareTo));
        Map<String, List<WaiterView>> waiters = new TreeMap<>(Comparator.nullsFirst(String::compareTo));
        queue.holders
                .values()
                .forEach(h -> holders.computeIfAbsent(h.key.shard(), s -> new ArrayList<>())
                        .add(h.holderView(now)));
        IdentityHashMap<Ticket, Integer> ahead = queue.conflictingAheadOfEach();
        for (Ticket t : queue.waiting.values()) {
            List<WaiterView> list = waiters.computeIfAbsent(t.request.key().shard(), s -> new ArrayList<>());
            list.add(t.waiterView(ahead.getOrDefault(t, 0) + 1, now));
        }
        TreeSet<String> shards = new TreeSet<>(Comparator.nullsFirst(String::compareTo));
        shards.addAll(holders.keySet());
        shards.addAll(waiters.keySet());
        List<LockService.KeyStatus> keys = new ArrayList<>();
        for (String shard : shards) {
            keys.add(new LockService.KeyStatus(
                    shard, holders.getOrDefault(shard, List.of()), waiters.getOrDefault(shard, List.of())));
        }
        return new LockService.NamespaceStatus(namespace, queue.holders.size(), queue.waiting.size(), keys);
    }
}
