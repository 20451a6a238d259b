package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A release with no one waiting waits up to {@link NamespaceState#ENDS_LINGER_NANOS} for an acquire
 * whose record can carry it (one write per acquire+release); after that the sweep writes it alone.
 */
class LingeringReleaseTest {

    private final StateAtTime at = new StateAtTime(new LockSettings(60_000, 60_000, 0), 5_000);
    private final NamespaceState state = at.state;

    @Test
    void an_acquire_soon_after_a_release_writes_both_in_one_record() {
        Lease first = at.holder("first");
        state.release(first, at.nanos);
        assertThat(state.nextStep(at.nanos, at.millis))
                .as("the release lingers")
                .isEqualTo(CommitStep.Idle.INSTANCE);

        at.advance(5);
        Ticket second = at.join("second");
        CommitStep.Write plan = (CommitStep.Write) state.nextStep(at.nanos, at.millis);

        assertThat(plan.endsCovered()).containsExactly(first.id);
        assertThat(plan.grants()).containsExactly(second);
    }

    @Test
    void a_release_nobody_follows_is_written_by_the_sweep_once_its_linger_is_over() {
        Lease first = at.holder("first");
        state.release(first, at.nanos);
        assertThat(state.nextStep(at.nanos, at.millis)).isEqualTo(CommitStep.Idle.INSTANCE);

        at.advance(NamespaceState.ENDS_LINGER_NANOS / 1_000_000 / 2);
        state.sweep(100, at.nanos);
        assertThat(state.nextStep(at.nanos, at.millis)).as("still lingering").isEqualTo(CommitStep.Idle.INSTANCE);
        at.advance(NamespaceState.ENDS_LINGER_NANOS / 1_000_000);
        state.sweep(100, at.nanos);
        assertThat(state.hasWork()).as("the sweep asks for the record").isTrue();

        CommitStep.Write plan = (CommitStep.Write) state.nextStep(at.nanos, at.millis);
        assertThat(plan.endsCovered()).containsExactly(first.id);
        assertThat(plan.record().leases()).isEmpty();
    }

    @Test
    void a_revoke_is_written_at_once() {
        Lease first = at.holder("first");
        Revocations.revokeKey(state, first.key, null, "runaway", at.nanos);

        assertThat(state.nextStep(at.nanos, at.millis)).isInstanceOf(CommitStep.Write.class);
    }

    @Test
    void a_stopping_broker_writes_a_lingering_release_at_once() {
        Lease first = at.holder("first");
        state.release(first, at.nanos);
        assertThat(state.nextStep(at.nanos, at.millis)).isEqualTo(CommitStep.Idle.INSTANCE);

        state.flush();

        assertThat(state.nextStep(at.nanos, at.millis)).isInstanceOf(CommitStep.Write.class);
    }

    @Test
    void a_release_whose_record_lost_a_race_is_tried_again_at_once() {
        Lease first = at.holder("first");
        state.release(first, at.nanos);
        state.nextStep(at.nanos, at.millis);
        at.advance(NamespaceState.ENDS_LINGER_NANOS / 1_000_000 + 1);
        state.sweep(100, at.nanos);
        CommitStep.Write plan = (CommitStep.Write) state.nextStep(at.nanos, at.millis);

        LeaseEntry held = new LeaseEntry(
                first.id,
                "a",
                Mode.EXCLUSIVE,
                first.token,
                first.holder,
                at.ttlMillis,
                first.grantedAtMillis,
                at.millis);
        state.lostRace(
                plan,
                new LeaseRecord(plan.record().seq(), first.token, at.millis, List.of(held)),
                at.nanos,
                at.nanos,
                at.millis);

        assertThat(state.nextStep(at.nanos, at.millis))
                .as("a peer's record still holding the released lease: written again, no new linger")
                .isInstanceOf(CommitStep.Write.class);
    }
}
