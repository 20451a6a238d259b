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
        List<Ticket> ahead = conflictingAhead(ticket);
        List<Lease> blockers = queue.conflictingHolders(request.key(), request.mode());
        @Nullable Long eta = estimateWaitMillis(request, blockers, ahead, now);
        long remainingMillis = (ticket.deadlineNanos - now) / 1_000_000;
        return new TicketView(
                ticket.id,
                request.key(),
                request.mode(),
                ahead.size() + 1,
                ahead.size(),
                eta,
                eta != null && eta > remainingMillis,
                (now - ticket.enqueuedNanos) / 1_000_000,
                ticket.deadlineMillis,
                blockers.stream().map(h -> h.holderView(now)).toList());
    }

    /** The waiters queued before {@code ticket} that conflict with it, in queue order. */
    private List<Ticket> conflictingAhead(Ticket ticket) {
        List<Ticket> result = new ArrayList<>();
        LeaseRequest r = ticket.request;
        for (Ticket earlier : queue.waiting.values()) {
            if (earlier == ticket) {
                break;
            }
            if (earlier.request.key().conflictsWith(earlier.request.mode(), r.key(), r.mode())) {
                result.add(earlier);
            }
        }
        return result;
    }

    /**
     * Remaining hold of the longest conflicting holder plus one expected hold per conflicting waiter
     * ahead, or null (no ETA yet) when some hold has no estimate. Each hold is its requester's
     * declaration, else the mean recent hold of its key, else that of the asker's key, else the
     * asker's declaration.
     */
    private @Nullable Long estimateWaitMillis(LeaseRequest asker, List<Lease> blockers, List<Ticket> ahead, long now) {
        double current = 0;
        for (Lease holder : blockers) {
            OptionalDouble expected = expectedHold(holder.expectedHoldMillis, holder.key.shard(), asker);
            if (expected.isEmpty()) {
                return null;
            }
            current = Math.max(current, expected.getAsDouble() - (now - holder.grantedAtNanos) / 1e6);
        }
        double queued = 0;
        for (Ticket t : ahead) {
            OptionalDouble expected =
                    expectedHold(t.request.expectedHoldMillis(), t.request.key().shard(), asker);
            if (expected.isEmpty()) {
                return null;
            }
            queued += expected.getAsDouble();
        }
        if (blockers.isEmpty()
                && ahead.isEmpty()
                && history.meanMillis(asker.key().shard()).isEmpty()) {
            return asker.expectedHoldMillis() > 0 ? 0L : null;
        }
        return Math.round(Math.max(0, current) + queued);
    }

    private OptionalDouble expectedHold(long declaredMillis, @Nullable String shard, LeaseRequest asker) {
        if (declaredMillis > 0) {
            return OptionalDouble.of((double) declaredMillis);
        }
        OptionalDouble mean = history.meanMillis(shard);
        if (mean.isEmpty()) {
            mean = history.meanMillis(asker.key().shard());
        }
        if (mean.isEmpty() && asker.expectedHoldMillis() > 0) {
            mean = OptionalDouble.of((double) asker.expectedHoldMillis());
        }
        return mean;
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
