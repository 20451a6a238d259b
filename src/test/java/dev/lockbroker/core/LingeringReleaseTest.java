package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A release with no one waiting waits up to {@link NamespaceState#ENDS_LINGER_NANOS} for an acquire
 * whose record can carry it (one write per acquire+release); after that the sweep writes it alone.
 */
class LingeringReleaseTest {
    private static final long TTL_MILLIS = 5_000;

    private long nanos = 1_000_000_000L;
    private long millis = 1_800_000_000_000L;
    private final AtomicLong versions = new AtomicLong();
    private final NamespaceState state =
            new NamespaceState("jobs", new LockSettings(60_000, 60_000, 0), Directory.NONE, versions::incrementAndGet);

    LingeringReleaseTest() {
        state.loaded(Optional.empty(), nanos, nanos, millis);
    }

    @Test
    void an_acquire_soon_after_a_release_writes_both_in_one_record() {
        Lease first = holder("first");
        state.release(first, nanos);
        assertThat(state.nextStep(nanos, millis)).as("the release lingers").isEqualTo(CommitStep.Idle.INSTANCE);

        advance(5);
        Ticket second = join("second");
        CommitStep.Write plan = (CommitStep.Write) state.nextStep(nanos, millis);

        assertThat(plan.endsCovered()).containsExactly(first.id);
        assertThat(plan.grants()).containsExactly(second);
    }

    @Test
    void a_release_nobody_follows_is_written_by_the_sweep_once_its_linger_is_over() {
        Lease first = holder("first");
        state.release(first, nanos);
        assertThat(state.nextStep(nanos, millis)).isEqualTo(CommitStep.Idle.INSTANCE);

        advance(NamespaceState.ENDS_LINGER_NANOS / 1_000_000 / 2);
        state.sweep(100, nanos);
        assertThat(state.nextStep(nanos, millis)).as("still lingering").isEqualTo(CommitStep.Idle.INSTANCE);
        advance(NamespaceState.ENDS_LINGER_NANOS / 1_000_000);
        state.sweep(100, nanos);
        assertThat(state.hasWork()).as("the sweep asks for the record").isTrue();

        CommitStep.Write plan = (CommitStep.Write) state.nextStep(nanos, millis);
        assertThat(plan.endsCovered()).containsExactly(first.id);
        assertThat(plan.record().leases()).isEmpty();
    }

    @Test
    void a_revoke_is_written_at_once() {
        Lease first = holder("first");
        Revocations.revokeKey(state, first.key, null, "runaway", nanos);

        assertThat(state.nextStep(nanos, millis)).isInstanceOf(CommitStep.Write.class);
    }

    @Test
    void a_stopping_broker_writes_a_lingering_release_at_once() {
        Lease first = holder("first");
        state.release(first, nanos);
        assertThat(state.nextStep(nanos, millis)).isEqualTo(CommitStep.Idle.INSTANCE);

        state.flush();

        assertThat(state.nextStep(nanos, millis)).isInstanceOf(CommitStep.Write.class);
    }

    @Test
    void a_release_whose_record_lost_a_race_is_tried_again_at_once() {
        Lease first = holder("first");
        state.release(first, nanos);
        state.nextStep(nanos, millis);
        advance(NamespaceState.ENDS_LINGER_NANOS / 1_000_000 + 1);
        state.sweep(100, nanos);
        CommitStep.Write plan = (CommitStep.Write) state.nextStep(nanos, millis);

        LeaseEntry held = new LeaseEntry(
                first.id, "a", Mode.EXCLUSIVE, first.token, first.holder, TTL_MILLIS, first.grantedAtMillis, millis);
        state.lostRace(
                plan, new LeaseRecord(plan.record().seq(), first.token, millis, List.of(held)), nanos, nanos, millis);

        assertThat(state.nextStep(nanos, millis))
                .as("a peer's record still holding the released lease: written again, no new linger")
                .isInstanceOf(CommitStep.Write.class);
    }

    private Lease holder(String name) {
        Ticket ticket = join(name);
        state.written((CommitStep.Write) state.nextStep(nanos, millis), nanos, nanos, millis);
        Lease lease = ticket.lease();
        assertThat(lease).isNotNull();
        return lease;
    }

    private Ticket join(String name) {
        var request = new LeaseRequest(
                new LockKey("jobs", "a"), Mode.EXCLUSIVE, TTL_MILLIS, 60_000, new Holder(name, null, null), null);
        return ((Joined.Created) state.join(request, "t-" + name, nanos, millis)).ticket();
    }

    private void advance(long deltaMillis) {
        nanos += deltaMillis * 1_000_000;
        millis += deltaMillis;
    }
}
