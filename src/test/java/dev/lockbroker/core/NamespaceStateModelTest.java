package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated interleavings driven straight into {@link NamespaceState}, with the log and a peer broker
 * played by the test: commit steps that succeed, lose the race to the peer, fail without landing, or
 * land with their answer lost; peer records that renew leases and grant their own; heartbeats,
 * releases, cancels and time. The checker records beliefs — who believed they held what, from the
 * grant to the send of the last acknowledged heartbeat + TTL — and fails when two conflicting beliefs
 * overlap, when a grant is not in a record of the log, or when the log breaks its invariants.
 */
class NamespaceStateModelTest {
    private static final String NS = "model";
    private static final String[] SHARDS = {null, "a", "b"};
    private static final long TTL_MILLIS = 2_000;

    sealed interface Op {}

    /** A request or the passing of time. */
    record Queue(QueueOps.Op op) implements Op {}

    /** One commit step, with what the store does with it. */
    record Step(Store store) implements Op {}

    /**
     * A holder of a lease the peer granted heartbeats the peer. The peer accepts while the newest
     * record holds the lease, and writes a renewal once heartbeats are half a TTL past the written one.
     */
    record PeerHeartbeat(int pick) implements Op {}

    /** The peer broker writes the next record: renews one lease, and grants its own when it can. */
    record PeerWrite(int renewPick, int grantShard) implements Op {}

    enum Store {
        ANSWERS,
        PEER_WINS_RACE,
        FAILS,
        LANDS_ANSWER_LOST
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> step = Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.just(Store.ANSWERS)),
                        Tuple.of(1, Arbitraries.just(Store.PEER_WINS_RACE)),
                        Tuple.of(1, Arbitraries.just(Store.FAILS)),
                        Tuple.of(1, Arbitraries.just(Store.LANDS_ANSWER_LOST)))
                .map(Step::new);
        Arbitrary<Op> peerWrite = Arbitraries.integers()
                .between(0, 20)
                .flatMap(r -> Arbitraries.integers().between(-1, 2).map(g -> (Op) new PeerWrite(r, g)));
        return Arbitraries.frequencyOf(
                        Tuple.of(4, QueueOps.any(20, 2_500).map(Queue::new)),
                        Tuple.of(4, step),
                        Tuple.of(1, peerWrite),
                        Tuple.of(2, Arbitraries.integers().between(0, 20).map(PeerHeartbeat::new)))
                .list()
                .ofMaxSize(120);
    }

    /** Someone's belief that they hold a lease: from its grant until {@code untilMillis}. */
    private static final class Belief {
        final String leaseId;
        final LockKey key;
        final Mode mode;
        final boolean local;
        long untilMillis;

        Belief(String leaseId, LockKey key, Mode mode, boolean local, long untilMillis) {
            this.leaseId = leaseId;
            this.key = key;
            this.mode = mode;
            this.local = local;
            this.untilMillis = untilMillis;
        }
    }

    private long nanos;
    private long millis;
    private NamespaceState state;
    private final TreeMap<Long, LeaseRecord> log = new TreeMap<>();
    private final Map<String, Belief> beliefs = new LinkedHashMap<>();
    private final Map<String, Lease> granted = new HashMap<>();
    private final List<Ticket> tickets = new ArrayList<>();
    private int ticketIds;
    private int peerIds;

    @Property(tries = 400)
    void no_two_conflicting_beliefs_overlap_whatever_the_store_and_the_peer_do(@ForAll("ops") List<Op> ops) {
        log.clear(); // jqwik keeps one instance for every try
        beliefs.clear();
        granted.clear();
        tickets.clear();
        nanos = Long.MAX_VALUE - 30_000_000_000L; // the run crosses the wrap of nanoTime
        millis = 1_800_000_000_000L;
        state = new NamespaceState(
                NS, new LockSettings(5_000, 1_000, 0), Directory.NONE, new AtomicLong()::incrementAndGet);
        state.loaded(Optional.empty(), nanos, nanos, millis);
        for (Op op : ops) {
            apply(op);
            learnGrants();
            assertHoldersCompatible();
        }
    }

    private void apply(Op op) {
        switch (op) {
            case Queue q -> request(q.op());
            case Step s -> step(s.store());
            case PeerWrite p -> peerWrite(p.renewPick(), p.grantShard());
            case PeerHeartbeat h -> peerHeartbeat(h.pick());
        }
    }

    private void request(QueueOps.Op op) {
        switch (op) {
            case QueueOps.Acquire a -> acquire(a);
            case QueueOps.Release r ->
                pickLocal(r.pick()).ifPresent(lease -> {
                    state.release(lease, nanos);
                    beliefs.get(lease.id).untilMillis = Math.min(beliefs.get(lease.id).untilMillis, millis);
                });
            case QueueOps.Heartbeat h ->
                pickLocal(h.pick()).ifPresent(lease -> {
                    try {
                        state.heartbeat(lease, nanos, millis);
                        Belief belief = beliefs.get(lease.id);
                        belief.untilMillis = Math.max(belief.untilMillis, millis + TTL_MILLIS);
                    } catch (GoneException expired) {
                        // too late: the holder gets 410 and stops believing
                    }
                });
            case QueueOps.Cancel c -> {
                List<Ticket> waiting =
                        tickets.stream().filter(Ticket::isWaiting).toList();
                if (!waiting.isEmpty()) {
                    state.cancel(waiting.get(c.pick() % waiting.size()), nanos);
                }
            }
            case QueueOps.Advance a -> {
                nanos += a.millis() * 1_000_000L;
                millis += a.millis();
                state.sweep(1_000, nanos);
            }
        }
    }

    private void acquire(QueueOps.Acquire a) {
        var request = new LeaseRequest(
                new LockKey(NS, SHARDS[a.shard()]),
                a.exclusive() ? Mode.EXCLUSIVE : Mode.SHARED,
                TTL_MILLIS,
                a.waitSeconds() * 1_000L,
                new Holder("client", null, null),
                null);
        if (state.join(request, "t" + ticketIds++, nanos, millis) instanceof Joined.Created c) {
            tickets.add(c.ticket());
        }
    }

    private void step(Store store) {
        CommitStep step = state.nextStep(nanos, millis);
        switch (step) {
            case CommitStep.Idle idle -> {}
            case CommitStep.Refresh refresh -> {
                if (store == Store.FAILS) {
                    state.storeFailed(step);
                } else {
                    state.refreshed(latestAfter(refresh.afterSeq()), nanos, nanos, millis);
                }
            }
            case CommitStep.Write write -> write(write, store);
        }
    }

    private void write(CommitStep.Write write, Store store) {
        long seq = write.record().seq();
        switch (store) {
            case FAILS -> state.storeFailed(write);
            case LANDS_ANSWER_LOST -> {
                append(write.record());
                state.storeFailed(write);
            }
            case PEER_WINS_RACE, ANSWERS -> {
                if (store == Store.PEER_WINS_RACE) {
                    peerWrite(-1, -1);
                }
                if (append(write.record())) {
                    state.written(write, nanos, nanos, millis);
                } else {
                    state.lostRace(write, latestAfter(seq - 1).orElseThrow(), nanos, nanos, millis);
                }
            }
        }
    }

    /** The store's create-if-absent, checking what every record must satisfy. */
    private boolean append(LeaseRecord record) {
        if (log.containsKey(record.seq())) {
            return false;
        }
        Map.Entry<Long, LeaseRecord> previous = log.lastEntry();
        long prevSeq = previous == null ? 0 : previous.getKey();
        long prevToken = previous == null ? 0 : previous.getValue().lastToken();
        List<String> prevIds = previous == null
                ? List.of()
                : previous.getValue().leases().stream().map(LeaseEntry::leaseId).toList();
        RecordInvariants.checkAppend(record, prevSeq, prevToken, prevIds::contains);
        log.put(record.seq(), record);
        return true;
    }

    private Optional<LeaseRecord> latestAfter(long seq) {
        return log.isEmpty() || log.lastKey() <= seq
                ? Optional.empty()
                : Optional.of(log.lastEntry().getValue());
    }

    /**
     * The peer, which follows the protocol: it builds on the newest record, renews one lease whose
     * holder still believes (that holder heartbeats the peer), and grants a lease of its own on a key
     * no entry conflicts with.
     */
    private void peerWrite(int renewPick, int grantShard) {
        LeaseRecord head = log.isEmpty() ? null : log.lastEntry().getValue();
        List<LeaseEntry> entries = new ArrayList<>(head == null ? List.of() : head.leases());
        long lastToken = head == null ? 0 : head.lastToken();
        List<Integer> renewable = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Belief belief = beliefs.get(entries.get(i).leaseId());
            if (belief != null && belief.untilMillis > millis) {
                renewable.add(i);
            }
        }
        if (renewPick >= 0 && !renewable.isEmpty()) {
            int i = renewable.get(renewPick % renewable.size());
            LeaseEntry e = entries.get(i);
            entries.set(i, renewed(e));
            Belief belief = beliefs.get(e.leaseId());
            belief.untilMillis = Math.max(belief.untilMillis, millis + TTL_MILLIS);
        }
        String peerLease = null;
        if (grantShard >= 0 && compatible(entries, SHARDS[grantShard])) {
            peerLease = NS + "~peer" + peerIds++;
            entries.add(new LeaseEntry(
                    peerLease,
                    SHARDS[grantShard],
                    Mode.EXCLUSIVE,
                    ++lastToken,
                    new Holder("peer", null, null),
                    TTL_MILLIS,
                    millis,
                    millis));
        }
        if (append(new LeaseRecord((head == null ? 0 : head.seq()) + 1, lastToken, millis, entries))
                && peerLease != null) {
            believe(new Belief(
                    peerLease, new LockKey(NS, SHARDS[grantShard]), Mode.EXCLUSIVE, false, millis + TTL_MILLIS));
        }
    }

    private void peerHeartbeat(int pick) {
        List<Belief> held = beliefs.values().stream()
                .filter(b -> !b.local && b.untilMillis > millis)
                .toList();
        if (held.isEmpty() || log.isEmpty()) {
            return;
        }
        Belief belief = held.get(pick % held.size());
        Optional<LeaseEntry> written = log.lastEntry().getValue().leases().stream()
                .filter(e -> e.leaseId().equals(belief.leaseId))
                .findFirst();
        if (written.isEmpty()) {
            return; // the peer answers 410: the lease is gone
        }
        belief.untilMillis = Math.max(belief.untilMillis, millis + TTL_MILLIS);
        if (millis - written.get().renewedAtMillis() > TTL_MILLIS / 2) {
            renewAtPeer(belief.leaseId);
        }
    }

    /** The peer writes the next record with {@code leaseId} renewed now. */
    private void renewAtPeer(String leaseId) {
        LeaseRecord head = log.lastEntry().getValue();
        List<LeaseEntry> entries = head.leases().stream()
                .map(e -> e.leaseId().equals(leaseId) ? renewed(e) : e)
                .toList();
        append(new LeaseRecord(head.seq() + 1, head.lastToken(), millis, entries));
    }

    private LeaseEntry renewed(LeaseEntry e) {
        return new LeaseEntry(
                e.leaseId(), e.shard(), e.mode(), e.token(), e.holder(), e.ttlMillis(), e.grantedAtMillis(), millis);
    }

    private static boolean compatible(List<LeaseEntry> entries, String shard) {
        LockKey key = new LockKey(NS, shard);
        return entries.stream().noneMatch(e -> key.conflictsWith(Mode.EXCLUSIVE, new LockKey(NS, e.shard()), e.mode()));
    }

    /** Tickets granted since the last look: their holders start believing, checked against everyone else. */
    private void learnGrants() {
        for (Ticket ticket : tickets) {
            Lease lease = ticket.lease();
            if (lease == null || granted.containsKey(lease.id)) {
                continue;
            }
            granted.put(lease.id, lease);
            assertThat(log.values())
                    .as("the record granting %s exists", lease.id)
                    .anySatisfy(r -> assertThat(r.leases())
                            .extracting(LeaseEntry::leaseId)
                            .contains(lease.id));
            believe(new Belief(
                    lease.id, lease.key, lease.mode, true, lease.view().expiresAtMillis()));
        }
    }

    private void believe(Belief fresh) {
        for (Belief other : beliefs.values()) {
            boolean overlaps = other.untilMillis > millis;
            if (overlaps && fresh.key.conflictsWith(fresh.mode, other.key, other.mode)) {
                throw new AssertionError(fresh.leaseId + " (" + fresh.key + " " + fresh.mode + ") granted at " + millis
                        + " while " + other.leaseId + " (" + other.key + " " + other.mode + ") was believed held until "
                        + other.untilMillis);
            }
        }
        beliefs.put(fresh.leaseId, fresh);
    }

    private void assertHoldersCompatible() {
        List<Lease> holders = new ArrayList<>(state.table.queue.holders.values());
        for (int i = 0; i < holders.size(); i++) {
            for (int j = i + 1; j < holders.size(); j++) {
                Lease a = holders.get(i);
                Lease b = holders.get(j);
                assertThat(a.key.conflictsWith(a.mode, b.key, b.mode))
                        .as("%s and %s held together", a.id, b.id)
                        .isFalse();
            }
        }
    }

    private Optional<Lease> pickLocal(int pick) {
        List<Lease> live = granted.values().stream()
                .filter(Lease::isLive)
                .filter(l -> beliefs.get(l.id).untilMillis > millis)
                .toList();
        return live.isEmpty() ? Optional.empty() : Optional.of(live.get(pick % live.size()));
    }
}
