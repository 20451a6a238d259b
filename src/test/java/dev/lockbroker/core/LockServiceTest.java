package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue, lease and ticket rules, driven through the public core API on a fake clock. */
class LockServiceTest {
    private static final String NS = "jobs";
    private final FakeClock clock = new FakeClock();
    private final MemoryLeaseLog log = new MemoryLeaseLog();
    private final List<LockEvent> events = new ArrayList<>();
    private final LockService service =
            new LockService(log, clock, Runnable::run, events::add, new LockSettings(10_000, 60_000, 0), (ns, e) -> {});

    @AfterEach
    void close() {
        service.close();
    }

    private AcquireOutcome acquire(String shard, Mode mode, long waitSeconds) {
        return acquire(shard, mode, waitSeconds, null);
    }

    private AcquireOutcome acquire(String shard, Mode mode, long waitSeconds, String requestId) {
        var request = new LeaseRequest(
                new LockKey(NS, shard), mode, 5_000, waitSeconds * 1000, new Holder("t", null, null), requestId);
        return service.acquire(request, 0);
    }

    private static LeaseView granted(AcquireOutcome outcome) {
        assertThat(outcome).isInstanceOf(AcquireOutcome.Granted.class);
        return ((AcquireOutcome.Granted) outcome).lease();
    }

    private static String ticketOf(AcquireOutcome outcome) {
        assertThat(outcome).isInstanceOf(AcquireOutcome.Queued.class);
        return ((AcquireOutcome.Queued) outcome).ticket().ticketId();
    }

    private AcquireOutcome poll(String ticket) {
        return service.poll(ticket, 0);
    }

    @Test
    void shared_holders_coexist_and_exclusive_waits_for_them() {
        granted(acquire("a", Mode.SHARED, 0));
        granted(acquire("a", Mode.SHARED, 0));
        assertThat(acquire("a", Mode.EXCLUSIVE, 0)).isInstanceOf(AcquireOutcome.Busy.class);
    }

    @Test
    void exclusive_excludes_everyone_on_its_shard_but_not_other_shards() {
        granted(acquire("a", Mode.EXCLUSIVE, 0));
        assertThat(acquire("a", Mode.SHARED, 0)).isInstanceOf(AcquireOutcome.Busy.class);
        assertThat(acquire("a", Mode.EXCLUSIVE, 0)).isInstanceOf(AcquireOutcome.Busy.class);
        granted(acquire("b", Mode.EXCLUSIVE, 0));
    }

    @Test
    void whole_namespace_exclusive_waits_for_shard_holders() {
        LeaseView shardA = granted(acquire("a", Mode.SHARED, 0));
        LeaseView shardB = granted(acquire("b", Mode.EXCLUSIVE, 0));
        String whole = ticketOf(acquire(null, Mode.EXCLUSIVE, 60));
        service.release(shardA.leaseId());
        assertThat(poll(whole)).isInstanceOf(AcquireOutcome.Queued.class);
        service.release(shardB.leaseId());
        assertThat(granted(poll(whole)).token()).isGreaterThan(shardB.token());
    }

    @Test
    void a_waiting_whole_namespace_exclusive_is_not_starved_by_later_shard_requests() {
        LeaseView shard = granted(acquire("a", Mode.EXCLUSIVE, 0));
        String whole = ticketOf(acquire(null, Mode.EXCLUSIVE, 60));
        String laterShard = ticketOf(acquire("b", Mode.EXCLUSIVE, 60));
        assertThat(acquire("c", Mode.SHARED, 0)).isInstanceOf(AcquireOutcome.Busy.class);
        service.release(shard.leaseId());
        LeaseView wholeLease = granted(poll(whole));
        assertThat(poll(laterShard)).isInstanceOf(AcquireOutcome.Queued.class);
        service.release(wholeLease.leaseId());
        granted(poll(laterShard));
    }

    @Test
    void writers_are_not_starved_by_readers() {
        LeaseView reader = granted(acquire("a", Mode.SHARED, 0));
        String writer = ticketOf(acquire("a", Mode.EXCLUSIVE, 60));
        String laterReader = ticketOf(acquire("a", Mode.SHARED, 60));
        service.release(reader.leaseId());
        LeaseView writerLease = granted(poll(writer));
        assertThat(poll(laterReader)).isInstanceOf(AcquireOutcome.Queued.class);
        service.release(writerLease.leaseId());
        granted(poll(laterReader));
    }

    @Test
    void compatible_requests_at_the_head_are_granted_together_in_one_write() {
        LeaseView writer = granted(acquire("a", Mode.EXCLUSIVE, 0));
        List<String> readers = List.of(
                ticketOf(acquire("a", Mode.SHARED, 60)),
                ticketOf(acquire("a", Mode.SHARED, 60)),
                ticketOf(acquire(null, Mode.SHARED, 60)));
        int before = log.appends();
        service.release(writer.leaseId());
        assertThat(log.appends() - before).isEqualTo(1);
        List<Long> tokens = readers.stream().map(t -> granted(poll(t)).token()).toList();
        assertThat(tokens).doesNotHaveDuplicates().allMatch(t -> t > writer.token());
    }

    @Test
    void tokens_strictly_increase_across_shards_and_the_whole_namespace() {
        long last = 0;
        for (String shard : new String[] {"a", null, "b", "a", null}) {
            LeaseView lease = granted(acquire(shard, Mode.EXCLUSIVE, 0));
            assertThat(lease.token()).isGreaterThan(last);
            last = lease.token();
            service.release(lease.leaseId());
        }
    }

    @Test
    void an_expired_lease_hands_over_to_the_next_waiter() {
        LeaseView first = granted(acquire("a", Mode.EXCLUSIVE, 0));
        String next = ticketOf(acquire("a", Mode.EXCLUSIVE, 60));
        clock.advanceMillis(4_000);
        service.heartbeat(first.leaseId());
        clock.advanceMillis(4_000);
        service.sweep();
        assertThat(poll(next)).isInstanceOf(AcquireOutcome.Queued.class);
        clock.advanceMillis(1_001);
        service.sweep();
        granted(poll(next));
        assertThatThrownBy(() -> service.heartbeat(first.leaseId()))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(EndReason.EXPIRED));
        assertThatThrownBy(() -> service.release(first.leaseId())).isInstanceOf(GoneException.class);
    }

    @Test
    void releasing_twice_is_fine() {
        LeaseView lease = granted(acquire("a", Mode.EXCLUSIVE, 0));
        service.release(lease.leaseId());
        service.release(lease.leaseId());
        assertThatThrownBy(() -> service.release("no-such-lease")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void a_waiter_that_stops_polling_leaves_the_queue_within_the_ticket_ttl() {
        LeaseView holder = granted(acquire("a", Mode.EXCLUSIVE, 0));
        String vanished = ticketOf(acquire("a", Mode.EXCLUSIVE, 600));
        String behind = ticketOf(acquire("a", Mode.EXCLUSIVE, 600));
        for (long step : new long[] {4_000, 4_000, 2_001}) {
            clock.advanceMillis(step);
            service.heartbeat(holder.leaseId());
            poll(behind);
        }
        service.sweep();
        service.release(holder.leaseId());
        granted(poll(behind));
        assertThatThrownBy(() -> poll(vanished))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(EndReason.ABANDONED));
    }

    @Test
    void a_passed_deadline_ends_the_ticket_as_timed_out_naming_the_holder() {
        granted(acquire("a", Mode.EXCLUSIVE, 0));
        String ticket = ticketOf(acquire("a", Mode.EXCLUSIVE, 2));
        clock.advanceMillis(2_000);
        service.sweep();
        assertThatThrownBy(() -> poll(ticket)).isInstanceOfSatisfying(GoneException.class, e -> {
            assertThat(e.reason()).isEqualTo(EndReason.TIMED_OUT);
            assertThat(e.holders()).hasSize(1);
        });
        assertThat(events).anyMatch(e -> e instanceof LockEvent.WaitEnded w && w.outcome() == EndReason.TIMED_OUT);
    }

    @Test
    void a_repeated_request_id_returns_the_same_ticket_then_the_same_lease() {
        LeaseView holder = granted(acquire("a", Mode.EXCLUSIVE, 0));
        String ticket = ticketOf(acquire("a", Mode.EXCLUSIVE, 60, "req-1"));
        assertThat(ticketOf(acquire("a", Mode.EXCLUSIVE, 60, "req-1"))).isEqualTo(ticket);
        assertThat(service.status(NS).waiting()).isEqualTo(1);
        service.release(holder.leaseId());
        LeaseView lease = granted(poll(ticket));
        assertThat(granted(acquire("a", Mode.EXCLUSIVE, 60, "req-1")).leaseId()).isEqualTo(lease.leaseId());
    }

    @Test
    void a_try_once_request_that_finds_the_lock_busy_queues_nothing() {
        granted(acquire(null, Mode.EXCLUSIVE, 0));
        var busy = (AcquireOutcome.Busy) acquire("a", Mode.SHARED, 0);
        assertThat(busy.holders()).hasSize(1);
        assertThat(service.status(NS).waiting()).isZero();
    }

    @Test
    void cancelling_a_ticket_lets_the_next_waiter_through() {
        LeaseView holder = granted(acquire("a", Mode.SHARED, 0));
        String writer = ticketOf(acquire("a", Mode.EXCLUSIVE, 60));
        String reader = ticketOf(acquire("a", Mode.SHARED, 60));
        service.cancel(writer);
        granted(poll(reader));
        assertThatThrownBy(() -> poll(writer))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(EndReason.CANCELLED));
        service.release(holder.leaseId());
    }

    @Test
    void the_eta_comes_from_recent_holds_and_says_when_it_passes_the_deadline() {
        for (int i = 0; i < 3; i++) {
            LeaseView lease = granted(acquire("a", Mode.EXCLUSIVE, 0));
            clock.advanceMillis(2_000);
            service.release(lease.leaseId());
        }
        granted(acquire("a", Mode.EXCLUSIVE, 0));
        var first = (AcquireOutcome.Queued) acquire("a", Mode.EXCLUSIVE, 60);
        var second = (AcquireOutcome.Queued) acquire("a", Mode.EXCLUSIVE, 3);
        assertThat(first.ticket().etaMillis()).isEqualTo(2_000L);
        assertThat(first.ticket().etaExceedsDeadline()).isFalse();
        assertThat(second.ticket().position()).isEqualTo(2);
        assertThat(second.ticket().ahead()).isEqualTo(1);
        assertThat(second.ticket().etaMillis()).isEqualTo(4_000L);
        assertThat(second.ticket().etaExceedsDeadline()).isTrue();
    }

    @Test
    void a_store_outage_grants_nothing_keeps_heartbeats_and_recovers_without_restart() {
        LeaseView held = granted(acquire("a", Mode.EXCLUSIVE, 0));
        log.setFailing(true);
        assertThatThrownBy(() -> acquire("b", Mode.EXCLUSIVE, 0)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> acquire("c", Mode.EXCLUSIVE, 30)).isInstanceOf(StoreUnavailableException.class);
        assertThat(service.heartbeat(held.leaseId()).leaseId()).isEqualTo(held.leaseId());
        assertThat(service.status(NS).holders()).isEqualTo(1);
        assertThat(service.status(NS).waiting()).isZero();
        log.setFailing(false);
        granted(acquire("b", Mode.EXCLUSIVE, 0));
    }

    @Test
    void a_broker_that_loses_a_race_adopts_the_winner_and_never_grants_twice() {
        LockService other = new LockService(
                log, clock, Runnable::run, LockEventListener.NONE, LockSettings.defaults(), (ns, e) -> {});
        try {
            LeaseView mine = granted(acquire("a", Mode.EXCLUSIVE, 0));
            var theirs = other.acquire(
                    new LeaseRequest(new LockKey(NS, "a"), Mode.EXCLUSIVE, 5_000, 0, new Holder("o", null, null), null),
                    0);
            assertThat(theirs).isInstanceOf(AcquireOutcome.Busy.class);
            var elsewhere = (AcquireOutcome.Granted) other.acquire(
                    new LeaseRequest(new LockKey(NS, "b"), Mode.EXCLUSIVE, 5_000, 0, new Holder("o", null, null), null),
                    0);
            assertThat(elsewhere.lease().token()).isGreaterThan(mine.token());
            // This broker's view is now stale: its next write loses the race, reloads, and still refuses "b".
            assertThat(acquire("b", Mode.EXCLUSIVE, 0)).isInstanceOf(AcquireOutcome.Busy.class);
            assertThat(granted(acquire("c", Mode.EXCLUSIVE, 0)).token())
                    .isGreaterThan(elsewhere.lease().token());
        } finally {
            other.close();
        }
    }

    @Test
    void an_idle_namespace_is_forgotten_and_comes_back_from_the_log_with_its_tokens() {
        LeaseView first = granted(acquire("a", Mode.EXCLUSIVE, 0));
        service.release(first.leaseId());
        for (int i = 0; i < 3; i++) {
            clock.advanceMillis(60_000);
            service.sweep();
        }
        assertThat(service.namespacesInMemory()).isZero();
        assertThat(granted(acquire("a", Mode.EXCLUSIVE, 0)).token()).isGreaterThan(first.token());
        assertThat(service.namespacesInMemory()).isEqualTo(1);
    }

    @Test
    void a_namespace_with_a_holder_is_never_forgotten() {
        LeaseView held = granted(acquire("a", Mode.EXCLUSIVE, 0));
        for (int i = 0; i < 40; i++) { // 160 s, well past the 60 s retention
            clock.advanceMillis(4_000);
            service.heartbeat(held.leaseId());
            service.sweep();
            assertThat(service.namespacesInMemory()).isEqualTo(1);
        }
        service.release(held.leaseId());
    }

    @Test
    void invalid_names_are_refused() {
        for (String bad : new String[] {"", ".", "..", "a/b", "x".repeat(129), "sp ace", "ü"}) {
            assertThatThrownBy(() -> new LockKey(bad, null)).isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> new LockKey("ok", bad)).isInstanceOf(InvalidRequestException.class);
        }
        assertThat(new LockKey("a.b-c_D9", "x".repeat(128)).shard()).hasSize(128);
    }

    @Test
    void an_evicted_namespace_answers_its_parked_long_polls_at_once_and_writes_no_more() throws Exception {
        granted(acquire("a", Mode.EXCLUSIVE, 0));
        String waiter = ticketOf(acquire("a", Mode.EXCLUSIVE, 60));
        int appendsBefore = log.appends();
        var parked = new java.util.concurrent.FutureTask<>(() -> service.poll(waiter, 20_000));
        Thread poller = Thread.ofVirtual().start(parked);
        try {
            Thread.sleep(100); // let the poll park

            service.evict(ns -> ns.equals(NS));

            assertThatThrownBy(() -> parked.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreUnavailableException.class);
        } finally {
            poller.interrupt(); // a failed check must not leave the poll parked for its whole wait
        }
        assertThat(log.appends()).isEqualTo(appendsBefore);
    }
}
