package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.EndReason.LeaseEnd;
import dev.lockbroker.core.EndReason.WaitEnd;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The commit protocol of one namespace, step by step, on {@link NamespaceState} alone: no log, no
 * threads, no clock but the one each test moves. Time starts two seconds before {@code
 * Long.MAX_VALUE}, so every deadline here lies past the wrap and is compared by subtraction.
 */
class NamespaceStateTest {
    private static final long TTL_MILLIS = 5_000;
    private static final LockSettings SETTINGS = new LockSettings(60_000, 60_000, 0);

    private long nanos = Long.MAX_VALUE - 2_000_000_000L;
    private long millis = 1_800_000_000_000L;
    private final AtomicLong versions = new AtomicLong();
    private final NamespaceState state =
            new NamespaceState("jobs", SETTINGS, Directory.NONE, versions::incrementAndGet);

    NamespaceStateTest() {
        state.loaded(Optional.empty(), nanos, nanos, millis);
    }

    // ---- grant after write ----

    @Test
    void a_waiter_becomes_a_holder_only_once_the_record_granting_it_is_written() {
        Ticket ticket = join("a", "first", 60);
        CommitStep.Write plan = write();

        assertThat(plan.record().seq()).isEqualTo(1);
        assertThat(plan.record().leases())
                .singleElement()
                .satisfies(e -> assertThat(e.token()).isEqualTo(1));
        assertThat(ticket.isWaiting()).as("planned is not granted").isTrue();
        assertThat(state.table.queue.holders).isEmpty();

        state.written(plan, nanos, nanos, millis);

        assertThat(ticket.endReason()).isEqualTo(WaitEnd.GRANTED);
        assertThat(ticket.lease()).isNotNull();
        assertThat(state.table.queue.holders)
                .containsKey(plan.grantEntries().getFirst().leaseId());
    }

    @Test
    void a_release_takes_effect_at_once_and_the_next_record_leaves_it_out_while_granting_the_next_waiter() {
        Lease first = holder("a", "first");
        Ticket second = join("a", "second", 60);
        assertThat(state.nextStep(nanos, millis))
                .as("blocked behind the holder")
                .isEqualTo(CommitStep.Idle.INSTANCE);

        assertThat(state.release(first, nanos)).isEqualTo(NamespaceState.Release.RELEASED);
        CommitStep.Write plan = write();

        assertThat(plan.record().leases()).extracting(LeaseEntry::leaseId).doesNotContain(first.id);
        assertThat(plan.endsCovered()).contains(first.id);
        assertThat(plan.grants()).containsExactly(second);
        state.written(plan, nanos, nanos, millis);
        assertThat(second.lease()).isNotNull();
        assertThat(state.release(first, nanos)).isEqualTo(NamespaceState.Release.WAS_RELEASED);
    }

    @Test
    void transitions_during_a_write_join_the_next_record() {
        Ticket first = join("a", "first", 60);
        CommitStep.Write inFlight = write();
        Ticket second = join("b", "second", 60);
        state.written(inFlight, nanos, nanos, millis);

        CommitStep.Write next = write();
        assertThat(first.lease()).isNotNull();
        assertThat(next.record().seq()).isEqualTo(2);
        assertThat(next.grants()).containsExactly(second);
        assertThat(next.record().leases()).hasSize(2);
    }

    @Test
    void a_try_once_request_that_the_next_record_cannot_grant_is_busy() {
        holder(null, "whole");
        assertThat(state.join(request("a", "try", 0), "t1", nanos, millis)).isInstanceOf(Joined.Busy.class);
    }

    // ---- tokens ----

    @Test
    void every_grant_carries_a_token_above_every_earlier_one_even_across_a_lost_race() {
        Lease first = holder("a", "first");
        Ticket second = join("b", "second", 60);
        CommitStep.Write lost = write();
        LeaseRecord peers = record(2, 7, entry(first, millis), peerEntry("peer-1", "c", 7));

        state.lostRace(lost, peers, nanos, nanos, millis);
        CommitStep.Write retry = write();

        assertThat(retry.record().seq()).isEqualTo(3);
        assertThat(retry.grantEntries())
                .singleElement()
                .satisfies(e -> assertThat(e.token()).isEqualTo(8));
        assertThat(second.isWaiting()).isTrue();
    }

    // ---- lost races and ambiguous writes ----

    @Test
    void a_lost_race_adopts_the_winning_record_and_never_reports_the_grant_it_planned() {
        Ticket ticket = join("a", "mine", 60);
        CommitStep.Write plan = write();
        LeaseRecord winner = record(1, 1, peerEntry("peer-1", "a", 1));

        state.lostRace(plan, winner, nanos, nanos, millis);

        assertThat(ticket.isWaiting()).isTrue();
        assertThat(ticket.lease()).isNull();
        assertThat(state.table.queue.holders).containsOnlyKeys("jobs~peer-1");
        assertThat(state.nextStep(nanos, millis)).as("the peer holds the key").isEqualTo(CommitStep.Idle.INSTANCE);
    }

    @Test
    void a_write_whose_answer_was_lost_grants_once_its_record_is_seen() {
        Ticket ticket = join("a", "mine", 60);
        CommitStep.Write plan = write();

        state.storeFailed(plan);
        assertThat(ticket.phase()).as("its long-polls answer 503").isEqualTo(Ticket.Phase.STORE_FAILED);
        advance(1_000);
        state.refreshed(Optional.of(plan.record()), nanos, nanos, millis);

        assertThat(ticket.endReason()).isEqualTo(WaitEnd.GRANTED);
        Lease lease = ticket.lease();
        assertThat(lease).isNotNull();
        assertThat(lease.id).isEqualTo(plan.grantEntries().getFirst().leaseId());
        assertThat(lease.view().expiresAtMillis())
                .as("dated from its record, a second ago")
                .isEqualTo(millis - 1_000 + TTL_MILLIS);
    }

    @Test
    void a_write_that_failed_before_landing_is_planned_again_with_a_new_lease() {
        Ticket ticket = join("a", "mine", 60);
        CommitStep.Write failed = write();
        state.storeFailed(failed);

        state.refreshed(Optional.empty(), nanos, nanos, millis);
        assertThat(ticket.phase()).isEqualTo(Ticket.Phase.WAITING);
        CommitStep.Write again = write();

        assertThat(again.record().seq()).isEqualTo(1);
        assertThat(again.grantEntries().getFirst().leaseId())
                .isNotEqualTo(failed.grantEntries().getFirst().leaseId());
    }

    // ---- expiry and peers ----

    @Test
    void a_lease_expires_only_after_a_read_that_began_past_its_deadline() {
        Lease lease = holder("a", "quiet");
        advance(TTL_MILLIS + 1);

        state.sweep(100, nanos);
        assertThat(lease.isLive()).as("a peer may have renewed it").isTrue();
        CommitStep step = state.nextStep(nanos, millis);
        assertThat(step).isInstanceOf(CommitStep.Refresh.class);
        state.refreshed(Optional.empty(), nanos, nanos, millis);

        assertThat(lease.end()).isEqualTo(LeaseEnd.EXPIRED);
    }

    @Test
    void a_renewal_written_by_a_peer_keeps_the_lease_alive_here_past_its_ttl() {
        Lease lease = holder("a", "elsewhere");
        advance(4_000);
        LeaseRecord renewed = record(2, 1, entry(lease, millis));
        state.refreshed(Optional.of(renewed), nanos, nanos, millis);
        advance(TTL_MILLIS);

        state.sweep(100, nanos);
        state.refreshed(Optional.empty(), nanos, nanos, millis);

        assertThat(lease.isLive())
                .as("1.5 TTL + 1 s of grace from the renewal seen")
                .isTrue();
    }

    @Test
    void a_peer_lease_outlives_heartbeats_its_broker_has_not_written_yet() {
        LeaseEntry peers = peerEntry("p1", "a", 1);
        state.refreshed(Optional.of(record(1, 1, peers)), nanos, nanos, millis);
        Ticket waiter = join("a", "waiter", 60);
        // The holder heartbeats the peer 2.4 s later, under half a TTL: the peer writes nothing, and the
        // holder counts on the lease until 7.4 s.
        advance(7_000);

        state.sweep(100, nanos);
        state.refreshed(Optional.empty(), nanos, nanos, millis);

        assertThat(state.table.queue.holders).containsKey(peers.leaseId());
        assertThat(state.nextStep(nanos, millis)).isEqualTo(CommitStep.Idle.INSTANCE);
        assertThat(waiter.isWaiting()).isTrue();
    }

    @Test
    void a_lease_a_peer_no_longer_holds_is_revoked_here() {
        Lease lease = holder("a", "gone");
        state.refreshed(Optional.of(record(2, 1)), nanos, nanos, millis);
        assertThat(lease.end()).isEqualTo(LeaseEnd.REVOKED);
    }

    @Test
    void a_heartbeat_after_the_deadline_is_refused() {
        Lease lease = holder("a", "late");
        advance(TTL_MILLIS);
        assertThatThrownBy(() -> state.heartbeat(lease, nanos, millis))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(LeaseEnd.EXPIRED));
    }

    // ---- operators and limits ----

    @Test
    void an_operators_revoke_ends_the_lease_at_once_tells_its_holder_why_and_the_next_record_grants_the_next_waiter() {
        Lease runaway = holder("a", "runaway");
        Ticket next = join("a", "next", 60);

        state.table.revoke(runaway, "stuck since Monday", nanos);

        assertThatThrownBy(() -> state.heartbeat(runaway, nanos, millis))
                .isInstanceOfSatisfying(
                        GoneException.class, e -> assertThat(e.reason()).isEqualTo(LeaseEnd.REVOKED))
                .hasMessage("stuck since Monday");
        CommitStep.Write plan = write();
        assertThat(plan.record().leases()).extracting(LeaseEntry::leaseId).doesNotContain(runaway.id);
        assertThat(plan.grants()).containsExactly(next);
    }

    @Test
    void a_revoke_naming_the_wrong_fencing_token_ends_nothing() {
        Lease held = holder("a", "held");
        LockKey key = new LockKey("jobs", "a");

        assertThatThrownBy(() -> Revocations.revokeKey(state, key, held.token + 1, "wrong one", nanos))
                .isInstanceOfSatisfying(
                        RevokeRefusedException.class,
                        e -> assertThat(e.why()).isEqualTo(RevokeRefusedException.Why.HOLDER_MISMATCH));
        assertThat(held.isLive()).isTrue();
        assertThat(Revocations.revokeKey(state, key, held.token, "right one", nanos))
                .extracting(LeaseView::leaseId)
                .containsExactly(held.id);
    }

    @Test
    void a_full_queue_refuses_a_new_ticket_before_anything_is_created() {
        var settings = new LockSettings(60_000, 60_000, 0, 1, 100, 100);
        var small = new NamespaceState("jobs", settings, Directory.NONE, versions::incrementAndGet);
        small.loaded(Optional.empty(), nanos, nanos, millis);
        small.join(request("a", "first", 60), "t-first", nanos, millis);

        assertThatThrownBy(() -> small.join(request("a", "second", 60), "t-second", nanos, millis))
                .isInstanceOf(LimitExceededException.class);
        assertThat(small.table.ticket("t-second")).isEmpty();
        assertThat(small.table.queue.waiting).hasSize(1);
    }

    // ---- invariants ----

    @Test
    void a_peer_record_with_two_conflicting_holders_is_refused_and_not_adopted() {
        LeaseRecord broken = record(1, 2, peerEntry("p1", "a", 1), peerEntry("p2", "a", 2));
        assertThatThrownBy(() -> state.refreshed(Optional.of(broken), nanos, nanos, millis))
                .isInstanceOf(RecordInvariants.Violation.class)
                .hasMessageContaining("conflicts");
        assertThat(state.seq).isZero();
        assertThat(state.table.queue.holders).isEmpty();
    }

    @Test
    void a_peer_record_whose_tokens_go_back_is_refused() {
        holder("a", "first"); // token 1, record 1
        LeaseRecord backwards = record(2, 0);
        assertThatThrownBy(() -> state.refreshed(Optional.of(backwards), nanos, nanos, millis))
                .isInstanceOf(RecordInvariants.Violation.class);
        LeaseRecord reusedToken = record(2, 1, peerEntry("p9", "b", 1));
        assertThatThrownBy(() -> state.refreshed(Optional.of(reusedToken), nanos, nanos, millis))
                .isInstanceOf(RecordInvariants.Violation.class)
                .hasMessageContaining("not above");
        assertThat(state.seq).isEqualTo(1);
    }

    @Test
    void a_peer_record_with_a_ttl_out_of_range_is_refused() {
        LeaseEntry forever = new LeaseEntry(
                "jobs~p1", "a", Mode.EXCLUSIVE, 1, new Holder("p", null, null), 86_400_000, millis, millis);
        assertThatThrownBy(() -> state.refreshed(Optional.of(record(1, 1, forever)), nanos, nanos, millis))
                .isInstanceOf(RecordInvariants.Violation.class);
    }

    // ---- helpers ----

    private static LeaseRequest request(String shard, String name, long waitSeconds) {
        return new LeaseRequest(
                new LockKey("jobs", shard),
                Mode.EXCLUSIVE,
                TTL_MILLIS,
                waitSeconds * 1_000,
                new Holder(name, null, null),
                null);
    }

    private Ticket join(String shard, String name, long waitSeconds) {
        var joined = state.join(request(shard, name, waitSeconds), "t-" + name, nanos, millis);
        return ((Joined.Created) joined).ticket();
    }

    private CommitStep.Write write() {
        return (CommitStep.Write) state.nextStep(nanos, millis);
    }

    /** A holder granted through a written record. */
    private Lease holder(String shard, String name) {
        Ticket ticket = join(shard, name, 60);
        state.written(write(), nanos, nanos, millis);
        Lease lease = ticket.lease();
        assertThat(lease).isNotNull();
        return lease;
    }

    private void advance(long deltaMillis) {
        nanos += deltaMillis * 1_000_000;
        millis += deltaMillis;
    }

    private LeaseRecord record(long seq, long lastToken, LeaseEntry... entries) {
        return new LeaseRecord(seq, lastToken, millis, List.of(entries));
    }

    private static LeaseEntry entry(Lease lease, long renewedAtMillis) {
        return new LeaseEntry(
                lease.id,
                lease.key.shard(),
                lease.mode,
                lease.token,
                lease.holder,
                lease.ttlMillis,
                lease.grantedAtMillis,
                renewedAtMillis);
    }

    private LeaseEntry peerEntry(String id, String shard, long token) {
        return new LeaseEntry(
                "jobs~" + id, shard, Mode.EXCLUSIVE, token, new Holder("peer", null, null), TTL_MILLIS, millis, millis);
    }
}
