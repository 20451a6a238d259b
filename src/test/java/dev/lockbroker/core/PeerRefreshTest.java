package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How often a namespace with waiters blocked behind holders reads the log for records a peer may
 * have written: every refresh period when a holder has been seen at a peer, five times that when
 * every holder talks only to this broker.
 */
class PeerRefreshTest {
    private static final long REFRESH_MILLIS = 1_000;

    private final StateAtTime at = new StateAtTime(new LockSettings(60_000, 60_000, REFRESH_MILLIS), 30_000);
    private final NamespaceState state = at.state;

    @Test
    void a_holder_granted_here_is_read_for_every_five_periods() {
        at.join("holder");
        state.written((CommitStep.Write) state.nextStep(at.nanos, at.millis), at.nanos, at.nanos, at.millis);
        at.join("waiter");

        assertThat(refreshesOver(12_000))
                .as("reads in 12 s, one sweep every 100 ms: at once, then every 5 s")
                .isBetween(2, 3);
    }

    @Test
    void a_holder_learned_from_a_peer_is_read_for_every_period() {
        LeaseEntry peers = new LeaseEntry(
                "jobs~p1", "a", Mode.EXCLUSIVE, 1, new Holder("peer", null, null), at.ttlMillis, at.millis, at.millis);
        state.refreshed(Optional.of(new LeaseRecord(1, 1, at.millis, List.of(peers))), at.nanos, at.nanos, at.millis);
        at.join("waiter");

        assertThat(refreshesOver(12_000)).isBetween(10, 12);
    }

    @Test
    void a_holder_granted_here_but_renewed_in_a_peer_record_is_read_for_every_period() {
        Ticket holder = at.join("holder");
        state.written((CommitStep.Write) state.nextStep(at.nanos, at.millis), at.nanos, at.nanos, at.millis);
        Lease lease = holder.lease();
        assertThat(lease).isNotNull();
        at.advance(2_000);
        LeaseEntry renewed = new LeaseEntry(
                lease.id,
                "a",
                Mode.EXCLUSIVE,
                lease.token,
                lease.holder,
                at.ttlMillis,
                lease.grantedAtMillis,
                at.millis);
        state.refreshed(Optional.of(new LeaseRecord(2, 1, at.millis, List.of(renewed))), at.nanos, at.nanos, at.millis);
        at.join("waiter");

        assertThat(refreshesOver(12_000)).isBetween(10, 12);
    }

    /** Sweeps every 100 ms for {@code forMillis}, answering each read with nothing new; the reads asked for. */
    private int refreshesOver(long forMillis) {
        int reads = 0;
        for (long t = 0; t < forMillis; t += 100) {
            at.advance(100);
            state.sweep(100, at.nanos);
            if (state.nextStep(at.nanos, at.millis) instanceof CommitStep.Refresh) {
                reads++;
                state.refreshed(Optional.empty(), at.nanos, at.nanos, at.millis);
            }
        }
        return reads;
    }
}
