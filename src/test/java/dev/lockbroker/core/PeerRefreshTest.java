package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How often a namespace with waiters blocked behind holders reads the log for records a peer may
 * have written: every refresh period when a holder has been seen at a peer, five times that when
 * every holder talks only to this broker.
 */
class PeerRefreshTest {
    private static final long REFRESH_MILLIS = 1_000;
    private static final long TTL_MILLIS = 30_000;

    private long nanos = 1_000_000_000L;
    private long millis = 1_800_000_000_000L;
    private final AtomicLong versions = new AtomicLong();
    private final NamespaceState state = new NamespaceState(
            "jobs", new LockSettings(60_000, 60_000, REFRESH_MILLIS), Directory.NONE, versions::incrementAndGet);

    PeerRefreshTest() {
        state.loaded(Optional.empty(), nanos, nanos, millis);
    }

    @Test
    void a_holder_granted_here_is_read_for_every_five_periods() {
        join("holder");
        state.written((CommitStep.Write) state.nextStep(nanos, millis), nanos, nanos, millis);
        join("waiter");

        assertThat(refreshesOver(12_000))
                .as("reads in 12 s, one sweep every 100 ms: at once, then every 5 s")
                .isBetween(2, 3);
    }

    @Test
    void a_holder_learned_from_a_peer_is_read_for_every_period() {
        LeaseEntry peers = new LeaseEntry(
                "jobs~p1", "a", Mode.EXCLUSIVE, 1, new Holder("peer", null, null), TTL_MILLIS, millis, millis);
        state.refreshed(Optional.of(new LeaseRecord(1, 1, millis, List.of(peers))), nanos, nanos, millis);
        join("waiter");

        assertThat(refreshesOver(12_000)).isBetween(10, 12);
    }

    @Test
    void a_holder_granted_here_but_renewed_in_a_peer_record_is_read_for_every_period() {
        Ticket holder = join("holder");
        state.written((CommitStep.Write) state.nextStep(nanos, millis), nanos, nanos, millis);
        Lease lease = holder.lease();
        assertThat(lease).isNotNull();
        advance(2_000);
        LeaseEntry renewed = new LeaseEntry(
                lease.id, "a", Mode.EXCLUSIVE, lease.token, lease.holder, TTL_MILLIS, lease.grantedAtMillis, millis);
        state.refreshed(Optional.of(new LeaseRecord(2, 1, millis, List.of(renewed))), nanos, nanos, millis);
        join("waiter");

        assertThat(refreshesOver(12_000)).isBetween(10, 12);
    }

    /** Sweeps every 100 ms for {@code forMillis}, answering each read with nothing new; the reads asked for. */
    private int refreshesOver(long forMillis) {
        int reads = 0;
        for (long t = 0; t < forMillis; t += 100) {
            advance(100);
            state.sweep(100, nanos);
            if (state.nextStep(nanos, millis) instanceof CommitStep.Refresh) {
                reads++;
                state.refreshed(Optional.empty(), nanos, nanos, millis);
            }
        }
        return reads;
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
