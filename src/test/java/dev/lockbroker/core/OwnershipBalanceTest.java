package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group's loops on one in-memory log, ticked by hand on one fake clock: partitions spread over the
 * brokers present (a broker that joins owning nothing gets its share handed back to it), a broker
 * that stops hands its partitions back and one that dies has them claimed after the lapse, and at
 * no instant do two brokers answer locally for one partition.
 */
class OwnershipBalanceTest {
    private static final OwnershipTimes TIMES = new OwnershipTimes(3_000);
    private final FakeClock clock = new FakeClock();
    private final MemoryOwnershipLog log = new MemoryOwnershipLog();
    private final Map<String, Ownership> brokers = new LinkedHashMap<>();
    private final List<String> namespaceOfPartition = new ArrayList<>();

    OwnershipBalanceTest() {
        for (int p = 0; p < Partitions.COUNT; p++) {
            namespaceOfPartition.add(null);
        }
        for (int i = 0; namespaceOfPartition.contains(null); i++) {
            String ns = "ns-" + i;
            namespaceOfPartition.set(Partitions.of(ns), ns);
        }
    }

    @AfterEach
    void stop() {
        brokers.values().forEach(Ownership::close);
    }

    @Test
    void partitions_spread_over_brokers_that_join_leave_and_die() {
        join("a");
        periods(4, "a");
        assertThat(owned()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 8));

        join("b");
        join("c");
        periods(12, "a", "b", "c");
        assertThat(owned().values()).as("shares of 8 over three").containsExactlyInAnyOrder(3, 3, 2);

        brokers.remove("c").close(); // graceful: hands back, withdraws its presence
        periods(6, "a", "b");
        assertThat(owned()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 4, "b", 4));

        periods(12, "a"); // b dies: it neither renews nor announces
        assertThat(owned()).containsEntry("a", 8);
    }

    @Test
    void a_peer_present_only_in_one_brokers_view_costs_one_round_of_hand_backs_not_a_loop() {
        join("a", new PhantomPeer(log));
        periods(30, "a");
        assertThat(owned()).as("taken back, nobody else claims").containsEntry("a", 8);
        assertThat(losses.get("a"))
                .as("handed back once: 4 partitions to the phantom's share")
                .isEqualTo(4);
    }

    @Test
    void a_hand_back_whose_answer_is_lost_leaves_one_owner_and_the_split_still_happens() {
        join("a", new LostReleaseAnswers(log));
        periods(4, "a");
        join("b");
        periods(12, "a", "b"); // checks one local owner at most at every step
        assertThat(owned()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 4, "b", 4));
    }

    @Test
    void a_zombie_owner_thawed_after_its_partitions_were_claimed_answers_none_of_them() {
        join("a");
        periods(4, "a");
        join("b");
        periods(6, "a", "b");
        periods(6, "b"); // a frozen (SIGSTOP) for 6 periods, longer than a lapse: b claims the rest
        assertThat(owned()).containsEntry("b", 8);
        assertOneLocalOwnerAtMost(); // a thawed, before its loop runs again: fenced by its own clock
        periods(4, "a", "b");
        assertThat(owned().values()).containsExactlyInAnyOrder(4, 4);
    }

    private final Map<String, Integer> losses = new LinkedHashMap<>();

    private void join(String id) {
        join(id, log);
    }

    private void join(String id, OwnershipLog view) {
        brokers.put(id, new Ownership(view, id, TIMES, clock, Runnable::run, new Ownership.Listener() {
            @Override
            public void gained(int partition) {}

            @Override
            public void lost(int partition) {
                losses.merge(id, 1, Integer::sum);
            }
        }));
    }

    /** The shared log, plus a presence only this view lists: a peer that announces but never claims. */
    private static final class PhantomPeer extends ForwardingOwnershipLog {
        private long version;

        PhantomPeer(OwnershipLog log) {
            super(log);
        }

        @Override
        public Map<String, String> presences() {
            Map<String, String> presences = new LinkedHashMap<>(super.presences());
            presences.put("phantom", "v" + ++version);
            return presences;
        }
    }

    /** The shared log, where a released record lands but its answer is lost. */
    private static final class LostReleaseAnswers extends ForwardingOwnershipLog {
        LostReleaseAnswers(OwnershipLog log) {
            super(log);
        }

        @Override
        public boolean append(int partition, OwnershipRecord record) {
            boolean created = super.append(partition, record);
            if (record.released()) {
                throw new StoreUnavailableException("the answer was lost");
            }
            return created;
        }
    }

    /** Passes every call to the shared log. */
    private abstract static class ForwardingOwnershipLog implements OwnershipLog {
        private final OwnershipLog log;

        ForwardingOwnershipLog(OwnershipLog log) {
            this.log = log;
        }

        @Override
        public boolean append(int partition, OwnershipRecord record) {
            return log.append(partition, record);
        }

        @Override
        public java.util.Optional<OwnershipRecord> latestAfter(int partition, long seq) {
            return log.latestAfter(partition, seq);
        }

        @Override
        public void announce(Member me, long wallMillis) {
            log.announce(me, wallMillis);
        }

        @Override
        public Map<String, String> presences() {
            return log.presences();
        }

        @Override
        public void withdraw(String brokerId) {
            log.withdraw(brokerId);
        }
    }

    /** Ticks the named brokers once a period, in steps of 100 ms, checking exclusivity at each step. */
    private void periods(int count, String... ticking) {
        for (int i = 0; i < count; i++) {
            for (String id : ticking) {
                brokers.get(id).tick();
            }
            for (int step = 0; step < TIMES.periodMillis() / 100; step++) {
                assertOneLocalOwnerAtMost();
                clock.advanceMillis(100);
            }
        }
    }

    private void assertOneLocalOwnerAtMost() {
        for (int p = 0; p < Partitions.COUNT; p++) {
            List<String> local = new ArrayList<>();
            for (var e : brokers.entrySet()) {
                if (e.getValue().route(namespaceOfPartition.get(p)) instanceof Route.Local) {
                    local.add(e.getKey());
                }
            }
            assertThat(local).as("brokers answering partition %d at once", p).hasSizeLessThanOrEqualTo(1);
        }
    }

    /** Partitions per broker by the log's newest records (released ones own nothing). */
    private Map<String, Integer> owned() {
        Map<String, Integer> owned = new LinkedHashMap<>();
        for (int p = 0; p < Partitions.COUNT; p++) {
            log.newest(p).filter(r -> !r.released()).ifPresent(r -> owned.merge(r.brokerId(), 1, Integer::sum));
        }
        return owned;
    }
}
