package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This broker's part in a group on one bucket: which partitions of namespaces it owns, who owns the
 * others, and the loop that renews, reads and claims them through the {@link OwnershipLog}. Every
 * period (TTL/3) it runs one step per partition: a renewal for each partition it owns, a read for
 * each other one, a claim for a vacant or lapsed one while it owns fewer than its fair share, and a
 * hand-back of what it owns beyond its share while a present peer owns less than its own. The share
 * is the partitions per broker present (owners and presences, see {@link OwnershipLog}), rounded up;
 * each period the broker also writes its presence and lists everyone's.
 *
 * <p>Concurrency contract: {@code lock} guards every {@link PartitionOwnership}; log calls happen
 * outside it, at most one per partition at a time (the step is marked in flight). The listener is
 * called outside the lock, from the loop's threads, before a gained partition answers locally.
 */
public final class Ownership implements AutoCloseable {
    /** What the loop tells the rest of the broker. */
    public interface Listener {
        /** The partition is this broker's from now; called before any request is answered locally. */
        void gained(int partition);

        /** The partition went to another broker (or was handed back). */
        void lost(int partition);
    }

    /** One partition as shown by {@code GET /v1/cluster}. */
    public record PartitionView(int partition, Optional<OwnershipRecord> owner, String state) {}

    /**
     * Lapses without hand-backs after this broker took back a partition it had handed back (no peer
     * claimed it): presences that disagree cost one round, not a partition moving back and forth.
     */
    static final int HAND_BACK_PAUSE_LAPSES = 10;

    private final OwnershipLog log;
    /** Its URL is set by {@link #start}, before any step runs. */
    private volatile Member me;

    private final OwnershipTimes times;
    private final Clock clock;
    private final Listener listener;
    private final Executor steps;
    private final ScheduledExecutorService ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final PartitionOwnership[] partitions = new PartitionOwnership[Partitions.COUNT];
    private final java.util.concurrent.atomic.AtomicBoolean claimTickPending =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean presenceInFlight =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Guarded by {@code lock}. */
    private final Presences presences;
    /** Guarded by {@code lock}: no hand-backs before this, after one came back unclaimed. */
    private long handBacksPausedUntilNanos;

    public Ownership(
            OwnershipLog log, String brokerId, OwnershipTimes times, Clock clock, Executor steps, Listener listener) {
        this.log = log;
        this.me = Member.started(brokerId, "");
        this.times = times;
        this.clock = clock;
        this.steps = steps;
        this.listener = listener;
        this.presences = new Presences(brokerId);
        this.handBacksPausedUntilNanos = clock.nanoTime(); // not paused
        for (int p = 0; p < partitions.length; p++) {
            partitions[p] = new PartitionOwnership(p, times);
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("ownership").factory());
    }

    /** Starts the loop, advertising {@code url}: a first read of every partition now, then a step each period. */
    public Ownership start(String url) {
        me = new Member(me.brokerId(), me.incarnation(), url);
        var unused = ticker.scheduleAtFixedRate(this::tick, 0, times.periodMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public Member member() {
        return me;
    }

    public OwnershipTimes times() {
        return times;
    }

    /** Where {@code namespace}'s requests are answered now. */
    public Route route(String namespace) {
        int p = Partitions.of(namespace);
        return locked(() -> partitions[p].route(clock.nanoTime(), me));
    }

    /** Whether every partition's owner (or its absence) has been read once: readiness. */
    public boolean isKnown() {
        return locked(() -> {
            for (PartitionOwnership p : partitions) {
                if (!p.isKnown()) {
                    return false;
                }
            }
            return true;
        });
    }

    public List<PartitionView> view() {
        return locked(() -> {
            long now = clock.nanoTime();
            List<PartitionView> views = new ArrayList<>();
            for (PartitionOwnership p : partitions) {
                String state = switch (p.route(now, me)) {
                    case Route.Local local -> "owned";
                    case Route.Remote remote -> "peer";
                    case Route.Unavailable unavailable -> p.isMine() ? "fenced" : p.isKnown() ? "moving" : "unknown";
                };
                views.add(new PartitionView(p.partition, p.latest(), state));
            }
            return views;
        });
    }

    /** The peers present now (owning partitions or not), by broker id. */
    public Set<String> presentPeers() {
        return locked(() -> presences.present(clock.nanoTime(), lapseNanos()));
    }

    /**
     * One step per partition, and the presence step; each runs on its own thread, so a hung store
     * call delays only its partition (a presence never delays a renewal).
     */
    void tick() {
        if (presenceInFlight.compareAndSet(false, true)) {
            steps.execute(this::refreshPresence);
        }
        runSteps(false);
        scheduleClaimAtLapse();
    }

    /** Writes this broker's presence, lists everyone's, and removes one left unchanged for 10 lapses. */
    private void refreshPresence() {
        try {
            log.announce(me, clock.wallMillis());
            var versions = log.presences();
            List<String> abandoned = locked(() -> {
                presences.listed(versions, clock.nanoTime());
                return presences.abandoned(clock.nanoTime(), 10 * lapseNanos());
            });
            abandoned.forEach(log::withdraw);
        } catch (StoreUnavailableException | IllegalArgumentException | java.io.UncheckedIOException e) {
            // nothing learned: the presences seen last stand, and lapse if this goes on
        } finally {
            presenceInFlight.set(false);
        }
    }

    /**
     * A claim tried when a watched record lapses, not at the next period: failover then takes the
     * lapse (TTL × 1.05 + margin) instead of up to a period more. One such tick is pending at most.
     */
    private void scheduleClaimAtLapse() {
        long now = clock.nanoTime();
        long delayNanos = locked(() -> {
            long soonest = Long.MAX_VALUE;
            for (PartitionOwnership p : partitions) {
                OptionalLong at = p.lapsesAtNanos();
                if (at.isPresent() && at.getAsLong() - now > 0) {
                    soonest = Math.min(soonest, at.getAsLong() - now);
                }
            }
            return soonest;
        });
        if (delayNanos < times.periodMillis() * 1_000_000 && claimTickPending.compareAndSet(false, true)) {
            var unused = ticker.schedule(
                    () -> {
                        claimTickPending.set(false);
                        runSteps(true);
                    },
                    delayNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void runSteps(boolean claimsOnly) {
        long now = clock.nanoTime();
        List<Runnable> work = new ArrayList<>();
        locked(() -> {
            int share = fairShare(now);
            if (!claimsOnly) {
                int excess = handBacks(now, share);
                for (int i = partitions.length - 1; i >= 0 && excess > 0; i--) {
                    PartitionOwnership p = partitions[i];
                    if (p.startHandBack()) {
                        excess--;
                        work.add(() -> handBack(p));
                    }
                }
            }
            int claims = 0;
            for (PartitionOwnership p : partitions) {
                boolean mayClaim = ownedCount() + claims < share;
                PartitionOwnership.Step step = claimsOnly ? p.nextClaim(now, mayClaim) : p.next(now, mayClaim);
                if (step == PartitionOwnership.Step.CLAIM) {
                    claims++;
                    if (p.isHandedBackBy(me)) { // nobody took it: the peer counted on may not be there
                        handBacksPausedUntilNanos = now + HAND_BACK_PAUSE_LAPSES * lapseNanos();
                    }
                }
                if (step != PartitionOwnership.Step.NONE) {
                    work.add(() -> run(p, step));
                }
            }
            return null;
        });
        work.forEach(steps::execute);
    }

    /**
     * How many partitions to hand back now: what this broker owns beyond its share, at most what
     * present peers own below theirs (so nothing is handed back that nobody wants), and nothing
     * before this broker has listed the presences once.
     */
    private int handBacks(long nowNanos, int share) {
        int excess = ownedCount() - share;
        if (excess <= 0 || !presences.isListed() || nowNanos - handBacksPausedUntilNanos < 0) {
            return 0;
        }
        Map<String, Integer> owned = new HashMap<>();
        for (String peer : presences.present(nowNanos, lapseNanos())) {
            owned.put(peer, 0);
        }
        for (PartitionOwnership p : partitions) {
            p.liveRecord(nowNanos).filter(r -> !r.isBy(me)).ifPresent(r -> owned.merge(r.brokerId(), 1, Integer::sum));
        }
        owned.remove(me.brokerId()); // an earlier incarnation of this broker wants nothing
        int wanted = 0;
        for (int n : owned.values()) {
            wanted += Math.max(0, share - n);
        }
        return Math.min(excess, wanted);
    }

    /**
     * Hands a partition back: fenced already ({@link PartitionOwnership#startHandBack}), its
     * namespaces dropped, then the released record, which a peer under its share claims at its next
     * read. A write that fails leaves the old record to lapse, as a crash would.
     */
    private void handBack(PartitionOwnership p) {
        listener.lost(p.partition);
        try {
            OwnershipRecord release = locked(() -> p.releaseRecord(me, clock.wallMillis()));
            long sent = clock.nanoTime();
            if (log.append(p.partition, release)) {
                locked(() -> p.written(release, sent, clock.nanoTime()));
            } else {
                locked(p::lostRace);
            }
        } catch (StoreUnavailableException | IllegalArgumentException | java.io.UncheckedIOException e) {
            locked(() -> {
                p.failed();
                return null;
            });
        }
    }

    private void run(PartitionOwnership p, PartitionOwnership.Step step) {
        try {
            switch (step) {
                case READ -> read(p);
                case RENEW, CLAIM -> write(p, step);
                case NONE -> {}
            }
        } catch (StoreUnavailableException | IllegalArgumentException | java.io.UncheckedIOException e) {
            locked(() -> {
                p.failed();
                return null;
            });
        }
    }

    private void read(PartitionOwnership p) {
        long seq = locked(() -> p.latest().map(OwnershipRecord::seq).orElse(0L));
        Optional<OwnershipRecord> newer = log.latestAfter(p.partition, seq);
        announce(p.partition, locked(() -> p.read(newer, clock.nanoTime(), me)));
    }

    private void write(PartitionOwnership p, PartitionOwnership.Step step) {
        OwnershipRecord record = locked(() -> p.recordToWrite(step, me, clock.wallMillis()));
        long sent = clock.nanoTime();
        if (!log.append(p.partition, record)) {
            announce(p.partition, locked(p::lostRace));
            return;
        }
        if (step == PartitionOwnership.Step.CLAIM) {
            listener.gained(p.partition); // stale state of an earlier tenure goes before the first answer
        }
        locked(() -> p.written(record, sent, clock.nanoTime()));
    }

    private void announce(int partition, PartitionOwnership.Change change) {
        if (change == PartitionOwnership.Change.LOST) {
            listener.lost(partition);
        }
    }

    private int ownedCount() {
        int owned = 0;
        for (PartitionOwnership p : partitions) {
            owned += p.isMine() ? 1 : 0;
        }
        return owned;
    }

    /** Partitions per broker present (this one, live owners, present peers), rounded up. */
    private int fairShare(long nowNanos) {
        Set<String> brokers = new HashSet<>(presences.present(nowNanos, lapseNanos()));
        brokers.add(me.brokerId());
        for (PartitionOwnership p : partitions) {
            p.liveRecord(nowNanos).ifPresent(r -> brokers.add(r.brokerId()));
        }
        return (Partitions.COUNT + brokers.size() - 1) / brokers.size();
    }

    private long lapseNanos() {
        return times.lapseNanos(times.ttlMillis());
    }

    /**
     * Stops the loop and hands back every owned partition: fenced first, then a released record, so
     * a peer takes over at its next read instead of after the TTL. Best effort: a failed release just
     * lapses.
     */
    @Override
    public void close() {
        ticker.shutdownNow();
        for (PartitionOwnership p : partitions) {
            Optional<OwnershipRecord> release = locked(() ->
                    p.fenceForRelease() ? Optional.of(p.releaseRecord(me, clock.wallMillis())) : Optional.empty());
            release.ifPresent(r -> {
                try {
                    log.append(p.partition, r);
                } catch (StoreUnavailableException e) {
                    // the record lapses instead
                }
            });
        }
        try {
            log.withdraw(me.brokerId());
        } catch (StoreUnavailableException e) {
            // peers forget it after 10 lapses
        }
        log.close();
    }

    private <T> T locked(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
