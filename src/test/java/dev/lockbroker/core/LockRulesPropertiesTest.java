package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.QueueOps.Acquire;
import dev.lockbroker.core.QueueOps.Advance;
import dev.lockbroker.core.QueueOps.Cancel;
import dev.lockbroker.core.QueueOps.Heartbeat;
import dev.lockbroker.core.QueueOps.Op;
import dev.lockbroker.core.QueueOps.Release;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random interleavings of acquire, release, heartbeat, expiry and cancel never break mutual
 * exclusion, FIFO among conflicting requests, or token monotonicity.
 */
class LockRulesPropertiesTest {
    private static final String NS = "prop";
    private static final String[] SHARDS = {null, "a", "b"};

    @Provide
    Arbitrary<List<Op>> ops() {
        return QueueOps.any(50, 4_000).list().ofMaxSize(60);
    }

    /** One waiter as the model sees it, in enqueue order. */
    private static final class Waiter {
        final LockKey key;
        final Mode mode;
        String ticketId;
        LeaseView lease;
        boolean done;

        Waiter(LockKey key, Mode mode) {
            this.key = key;
            this.mode = mode;
        }

        boolean queued() {
            return ticketId != null && lease == null && !done;
        }
    }

    @Property(tries = 300)
    void queue_rules_hold_under_any_interleaving(@ForAll("ops") List<Op> ops) {
        FakeClock clock = new FakeClock();
        LockService service = new LockService(
                new MemoryLeaseLog(),
                clock,
                Runnable::run,
                LockEventListener.NONE,
                new LockSettings(5_000, 1_000, 0),
                (ns, e) -> {});
        List<Waiter> waiters = new ArrayList<>();
        Map<String, LeaseView> live = new LinkedHashMap<>();
        long[] maxToken = {0};
        try {
            for (Op op : ops) {
                apply(op, service, clock, waiters, live);
                long before = maxToken[0];
                refresh(service, waiters, live, before, maxToken);
                assertMutualExclusion(live);
                assertFifo(waiters);
            }
        } finally {
            service.close();
        }
    }

    private static void apply(
            Op op, LockService service, FakeClock clock, List<Waiter> waiters, Map<String, LeaseView> live) {
        List<String> leaseIds = new ArrayList<>(live.keySet());
        switch (op) {
            case Acquire a -> {
                Waiter w = new Waiter(new LockKey(NS, SHARDS[a.shard()]), a.exclusive() ? Mode.EXCLUSIVE : Mode.SHARED);
                var request = new LeaseRequest(
                        w.key, w.mode, 5_000, a.waitSeconds() * 1000L, new Holder("p", null, null), null);
                switch (service.acquire(request, 0)) {
                    case AcquireOutcome.Granted g -> w.lease = g.lease();
                    case AcquireOutcome.Queued q -> w.ticketId = q.ticket().ticketId();
                    case AcquireOutcome.Busy b -> w.done = true;
                    case AcquireOutcome.TimedOut t -> w.done = true;
                }
                waiters.add(w);
                if (w.lease != null) {
                    live.put(w.lease.leaseId(), w.lease);
                }
            }
            case Release r ->
                ignoreGone(() -> {
                    if (!leaseIds.isEmpty()) {
                        String id = leaseIds.get(r.pick() % leaseIds.size());
                        live.remove(id);
                        service.release(id);
                    }
                });
            case Heartbeat h ->
                ignoreGone(() -> {
                    if (!leaseIds.isEmpty()) {
                        service.heartbeat(leaseIds.get(h.pick() % leaseIds.size()));
                    }
                });
            case Cancel c -> {
                List<Waiter> queued = waiters.stream().filter(Waiter::queued).toList();
                if (!queued.isEmpty()) {
                    Waiter w = queued.get(c.pick() % queued.size());
                    service.cancel(w.ticketId);
                    w.done = true;
                }
            }
            case Advance a -> {
                clock.advanceMillis(a.millis());
                service.sweep();
            }
        }
    }

    /** Learns which tickets were granted or ended, and checks every new token beats all earlier ones. */
    private static void refresh(
            LockService service, List<Waiter> waiters, Map<String, LeaseView> live, long before, long[] maxToken) {
        live.keySet().removeIf(id -> isGone(() -> service.describe(id)));
        for (Waiter w : waiters) {
            if (w.lease != null && w.lease.token() > maxToken[0]) {
                maxToken[0] = w.lease.token();
            }
            if (!w.queued()) {
                continue;
            }
            try {
                if (service.poll(w.ticketId, 0) instanceof AcquireOutcome.Granted g) {
                    assertThat(g.lease().token())
                            .as("a new grant's token beats every earlier one")
                            .isGreaterThan(before);
                    w.lease = g.lease();
                    live.put(g.lease().leaseId(), g.lease());
                    maxToken[0] = Math.max(maxToken[0], g.lease().token());
                }
            } catch (GoneException e) {
                w.done = true;
            }
        }
    }

    private static void assertMutualExclusion(Map<String, LeaseView> live) {
        List<LeaseView> holders = new ArrayList<>(live.values());
        for (int i = 0; i < holders.size(); i++) {
            for (int j = i + 1; j < holders.size(); j++) {
                LeaseView a = holders.get(i);
                LeaseView b = holders.get(j);
                assertThat(a.key().conflictsWith(a.mode(), b.key(), b.mode()))
                        .as("%s and %s held together", a, b)
                        .isFalse();
            }
        }
    }

    /** No request is granted while an earlier conflicting request still waits. */
    private static void assertFifo(List<Waiter> waiters) {
        for (int i = 0; i < waiters.size(); i++) {
            Waiter earlier = waiters.get(i);
            if (!earlier.queued()) {
                continue;
            }
            for (int j = i + 1; j < waiters.size(); j++) {
                Waiter later = waiters.get(j);
                if (later.lease != null && earlier.key.conflictsWith(earlier.mode, later.key, later.mode)) {
                    throw new AssertionError("granted " + later.key + " " + later.mode + " ahead of waiting "
                            + earlier.key + " " + earlier.mode);
                }
            }
        }
    }

    private static void ignoreGone(Runnable action) {
        try {
            action.run();
        } catch (GoneException | NotFoundException ignored) {
            // the lease expired in between: a legal interleaving
        }
    }

    private static boolean isGone(Runnable check) {
        try {
            check.run();
            return false;
        } catch (GoneException | NotFoundException e) {
            return true;
        }
    }
}
