package dev.lockbroker.core;

import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Who owns one partition, as this broker knows it, and the ownership protocol as a pure state
 * machine: no locks, no I/O, no clock reads. {@link Ownership} asks {@link #next} what to do, does
 * it against the {@link OwnershipLog}, and hands back what the log answered.
 *
 * <p>The rules (the argument is in the README, "Several brokers"):
 *
 * <ul>
 *   <li>An owner's acknowledgements are good until the send time of its last renewal that
 *       succeeded + {@link OwnershipTimes#validityNanos}, on its own monotonic clock; past that it
 *       is fenced and answers nothing for the partition.
 *   <li>A peer claims a partition only after it watched the newest record stay the newest for
 *       {@link OwnershipTimes#lapseNanos} on its own clock, counted from the answer of the read that
 *       first showed it; the claim is the create-only write of the next number, so a renewal that
 *       landed first makes the claim lose, and the other way round.
 *   <li>A record of this process that this state does not know as its own (an unanswered write
 *       that landed) is treated as a peer's: waited out, never trusted.
 * </ul>
 */
final class PartitionOwnership {
    /** What to do next against the log. */
    enum Step {
        NONE,
        READ,
        RENEW,
        CLAIM
    }

    /** What an answer changed for this broker. */
    enum Change {
        NONE,
        GAINED,
        LOST
    }

    final int partition;
    private final OwnershipTimes times;
    private boolean known;
    private boolean inFlight;
    private long seq;
    private @Nullable OwnershipRecord latest;
    private long latestSeenNanos;
    private long knownAtNanos;
    private boolean mine;
    private long validUntilNanos;
    private long ownedSinceMillis;

    PartitionOwnership(int partition, OwnershipTimes times) {
        this.partition = partition;
        this.times = times;
    }

    /** The step to run now, marked in flight; {@code mayClaim} when this broker wants another partition. */
    Step next(long nowNanos, boolean mayClaim) {
        Step step = inFlight ? Step.NONE : decide(nowNanos, mayClaim);
        inFlight = step != Step.NONE;
        return step;
    }

    private Step decide(long nowNanos, boolean mayClaim) {
        if (!known) {
            return Step.READ;
        }
        if (mine) {
            return Step.RENEW;
        }
        return (mayClaim || isOrphaned(nowNanos)) && isClaimable(nowNanos) ? Step.CLAIM : Step.READ;
    }

    /** A CLAIM step, marked in flight, if the partition can be claimed now; NONE otherwise. */
    Step nextClaim(long nowNanos, boolean mayClaim) {
        if (inFlight || !known || mine || !(mayClaim || isOrphaned(nowNanos)) || !isClaimable(nowNanos)) {
            return Step.NONE;
        }
        inFlight = true;
        return Step.CLAIM;
    }

    /**
     * Starts handing the partition back to balance the group: fenced at once (nothing more is
     * acknowledged here), marked in flight; the caller then writes {@link #releaseRecord}. False
     * when it is not ours or a step is in flight.
     */
    boolean startHandBack() {
        if (inFlight || !mine) {
            return false;
        }
        inFlight = true;
        mine = false;
        return true;
    }

    /** When a watched peer's record lapses, so a claim can be tried then rather than at the next period. */
    OptionalLong lapsesAtNanos() {
        OwnershipRecord record = latest;
        if (mine || record == null || record.released()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(latestSeenNanos + times.lapseNanos(record.ttlMillis()) + 1_000_000);
    }

    /** The record a RENEW or CLAIM step writes. */
    OwnershipRecord recordToWrite(Step step, Member me, long nowMillis) {
        long since = step == Step.RENEW ? ownedSinceMillis : nowMillis;
        return new OwnershipRecord(
                seq + 1, me.brokerId(), me.incarnation(), me.url(), times.ttlMillis(), since, nowMillis, false);
    }

    /** The record that hands the partition back, written by an owner that stops. */
    OwnershipRecord releaseRecord(Member me, long nowMillis) {
        return new OwnershipRecord(
                seq + 1,
                me.brokerId(),
                me.incarnation(),
                me.url(),
                times.ttlMillis(),
                ownedSinceMillis,
                nowMillis,
                true);
    }

    // ---- answers ----

    /** Our record was created: a renewal sent at {@code sentNanos} keeps us owner until then + validity. */
    Change written(OwnershipRecord record, long sentNanos, long receivedNanos) {
        inFlight = false;
        boolean gained = !mine;
        seq = record.seq();
        latest = record;
        latestSeenNanos = receivedNanos;
        mine = !record.released();
        validUntilNanos = sentNanos + times.validityNanos();
        ownedSinceMillis = record.sinceMillis();
        return gained && mine ? Change.GAINED : Change.NONE;
    }

    /** The number was taken by someone else: read again; a renewal that loses means the partition is gone. */
    Change lostRace() {
        inFlight = false;
        known = false;
        return giveUp();
    }

    /** The call failed (or its answer was lost): nothing learned; validity keeps running out. */
    void failed() {
        inFlight = false;
    }

    /** A read answered: the newest record above the one known, if any, arrived at {@code receivedNanos}. */
    Change read(Optional<OwnershipRecord> newer, long receivedNanos, Member me) {
        inFlight = false;
        if (!known) {
            knownAtNanos = receivedNanos;
        }
        known = true;
        if (newer.isEmpty()) {
            return Change.NONE;
        }
        OwnershipRecord record = newer.get();
        seq = record.seq();
        latest = record;
        latestSeenNanos = receivedNanos;
        return mine && !record.isBy(me) ? giveUp() : Change.NONE;
    }

    /** An owner that stops: fenced at once, before its release record is written. */
    boolean fenceForRelease() {
        boolean was = mine;
        mine = false;
        return was;
    }

    private Change giveUp() {
        boolean was = mine;
        mine = false;
        return was ? Change.LOST : Change.NONE;
    }

    // ---- queries ----

    Route route(long nowNanos, Member me) {
        if (mine) {
            return nowNanos - validUntilNanos < 0
                    ? new Route.Local()
                    : new Route.Unavailable("partition " + partition + ": ownership not renewed in time (fenced)");
        }
        OwnershipRecord record = latest;
        if (record == null) {
            return new Route.Unavailable(
                    "partition " + partition + (known ? " has no owner yet" : ": owner not known yet"));
        }
        if (record.released() || record.isBy(me) || isLapsed(nowNanos)) {
            return new Route.Unavailable("partition " + partition + " is changing owner");
        }
        return new Route.Remote(record.brokerId(), record.url());
    }

    /** Whether the newest record is a hand-back of this process's own. */
    boolean isHandedBackBy(Member me) {
        OwnershipRecord record = latest;
        return record != null && record.released() && record.isBy(me);
    }

    boolean isKnown() {
        return known || latest != null;
    }

    boolean isMine() {
        return mine;
    }

    /** The live owner's record (not released, not lapsed), if any. */
    Optional<OwnershipRecord> liveRecord(long nowNanos) {
        OwnershipRecord record = latest;
        return record == null || record.released() || (!mine && isLapsed(nowNanos))
                ? Optional.empty()
                : Optional.of(record);
    }

    Optional<OwnershipRecord> latest() {
        return Optional.ofNullable(latest);
    }

    private boolean isClaimable(long nowNanos) {
        OwnershipRecord record = latest;
        return record == null || record.released() || isLapsed(nowNanos);
    }

    /**
     * Vacant or handed back, and left so for longer than a lapse: any broker may claim it then,
     * even at its share, so a partition never stays without an owner because brokers disagree on
     * how many of them there are.
     */
    private boolean isOrphaned(long nowNanos) {
        OwnershipRecord record = latest;
        if (record == null) {
            return known && nowNanos - knownAtNanos - times.lapseNanos(times.ttlMillis()) > 0;
        }
        return record.released() && nowNanos - latestSeenNanos - times.lapseNanos(record.ttlMillis()) > 0;
    }

    private boolean isLapsed(long nowNanos) {
        OwnershipRecord record = latest;
        return record != null && nowNanos - latestSeenNanos - times.lapseNanos(record.ttlMillis()) > 0;
    }
}
