package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ownership protocol step by step, on a clock that crosses the wrap: an owner is fenced before
 * any peer may claim, a renewal or a claim that loses the number changes hands only as the log says,
 * and a record of this process it does not know as its own is never redirected to.
 */
class PartitionOwnershipTest {
    private static final OwnershipTimes TIMES = new OwnershipTimes(3_000);
    private final FakeClock clock = new FakeClock();
    private final Member a = new Member("a", "ia", "http://a");
    private final Member b = new Member("b", "ib", "http://b");

    @Test
    void an_owner_is_fenced_before_a_peer_watching_its_last_renewal_may_claim() {
        PartitionOwnership owner = new PartitionOwnership(0, TIMES);
        PartitionOwnership peer = new PartitionOwnership(0, TIMES);
        assertThat(owner.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.READ);
        owner.read(Optional.empty(), clock.nanoTime(), a);
        assertThat(owner.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.CLAIM);
        OwnershipRecord claim = owner.recordToWrite(PartitionOwnership.Step.CLAIM, a, clock.wallMillis());
        long sent = clock.nanoTime();
        clock.advanceMillis(100); // the PUT's round trip
        assertThat(owner.written(claim, sent, clock.nanoTime())).isEqualTo(PartitionOwnership.Change.GAINED);
        peer.next(clock.nanoTime(), true);
        peer.read(Optional.of(claim), clock.nanoTime(), b);
        assertThat(owner.route(clock.nanoTime(), a)).isInstanceOf(Route.Local.class);
        assertThat(peer.route(clock.nanoTime(), b)).isEqualTo(new Route.Remote("a", "http://a"));

        long fencedAfterMillis = -1;
        long claimableAfterMillis = -1;
        for (long t = 0; t < 10_000; t += 10) { // the owner renews no more: the store is gone for it
            if (fencedAfterMillis < 0 && !(owner.route(clock.nanoTime(), a) instanceof Route.Local)) {
                fencedAfterMillis = t;
            }
            peer.failed();
            if (claimableAfterMillis < 0 && peer.next(clock.nanoTime(), true) == PartitionOwnership.Step.CLAIM) {
                claimableAfterMillis = t;
            }
            clock.advanceMillis(10);
        }
        assertThat(fencedAfterMillis).as("fenced at send + 0.95 TTL - margin").isBetween(2_440L, 2_460L);
        assertThat(claimableAfterMillis).as("claimable after 1.05 TTL + margin").isBetween(3_440L, 3_470L);
        assertThat(owner.route(clock.nanoTime(), a)).isInstanceOf(Route.Unavailable.class);
    }

    @Test
    void a_renewal_that_loses_its_number_gives_the_partition_up_and_a_claim_that_loses_gains_nothing() {
        PartitionOwnership owner = owned(new PartitionOwnership(1, TIMES), a);
        assertThat(owner.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.RENEW);
        assertThat(owner.lostRace()).isEqualTo(PartitionOwnership.Change.LOST);
        assertThat(owner.route(clock.nanoTime(), a)).isInstanceOf(Route.Unavailable.class);

        PartitionOwnership claimer = new PartitionOwnership(1, TIMES);
        claimer.next(clock.nanoTime(), true);
        claimer.read(Optional.empty(), clock.nanoTime(), b);
        assertThat(claimer.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.CLAIM);
        assertThat(claimer.lostRace()).isEqualTo(PartitionOwnership.Change.NONE);
        assertThat(claimer.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.READ);
    }

    @Test
    void a_record_of_this_process_it_does_not_hold_is_waited_out_not_redirected_to() {
        PartitionOwnership p = new PartitionOwnership(2, TIMES);
        p.next(clock.nanoTime(), true);
        p.read(Optional.of(new OwnershipRecord(4, "a", "ia", "http://a", 3_000, 0, 0, false)), clock.nanoTime(), a);
        assertThat(p.route(clock.nanoTime(), a)).isInstanceOf(Route.Unavailable.class);
        assertThat(p.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.READ);
    }

    @Test
    void a_released_partition_is_claimable_at_once_and_a_reader_learns_the_new_owner() {
        PartitionOwnership owner = owned(new PartitionOwnership(3, TIMES), a);
        OwnershipRecord released = owner.releaseRecord(a, clock.wallMillis());
        assertThat(owner.fenceForRelease()).isTrue();
        assertThat(owner.route(clock.nanoTime(), a)).isInstanceOf(Route.Unavailable.class);
        PartitionOwnership peer = new PartitionOwnership(3, TIMES);
        peer.next(clock.nanoTime(), true);
        peer.read(Optional.of(released), clock.nanoTime(), b);
        assertThat(peer.next(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.CLAIM);
    }

    @Test
    void a_claim_is_tried_the_moment_a_watched_record_lapses() {
        PartitionOwnership peer = new PartitionOwnership(4, TIMES);
        peer.next(clock.nanoTime(), true);
        long seen = clock.nanoTime();
        peer.read(Optional.of(new OwnershipRecord(9, "a", "ia", "http://a", 3_000, 0, 0, false)), seen, b);
        assertThat(peer.lapsesAtNanos()).hasValue(seen + 3_451_000_000L);
        clock.advanceMillis(3_449);
        assertThat(peer.nextClaim(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.NONE);
        clock.advanceMillis(2);
        assertThat(peer.nextClaim(clock.nanoTime(), false))
                .as("not beyond its share")
                .isEqualTo(PartitionOwnership.Step.NONE);
        assertThat(peer.nextClaim(clock.nanoTime(), true)).isEqualTo(PartitionOwnership.Step.CLAIM);
    }

    private PartitionOwnership owned(PartitionOwnership p, Member me) {
        p.next(clock.nanoTime(), true);
        p.read(Optional.empty(), clock.nanoTime(), me);
        p.next(clock.nanoTime(), true);
        OwnershipRecord claim = p.recordToWrite(PartitionOwnership.Step.CLAIM, me, clock.wallMillis());
        p.written(claim, clock.nanoTime(), clock.nanoTime());
        return p;
    }
}
