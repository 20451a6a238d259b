package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** One namespace's state ("jobs", loaded empty) and a clock the test moves: what state tests share. */
final class StateAtTime {
    long nanos = 1_000_000_000L;
    long millis = 1_800_000_000_000L;
    final NamespaceState state;
    /** The TTL of every lease {@link #join} asks for. */
    final long ttlMillis;

    StateAtTime(LockSettings settings, long ttlMillis) {
        this.ttlMillis = ttlMillis;
        AtomicLong versions = new AtomicLong();
        state = new NamespaceState("jobs", settings, Directory.NONE, versions::incrementAndGet);
        state.loaded(Optional.empty(), nanos, nanos, millis);
    }

    /** Queues an exclusive request on shard "a" for {@code name}. */
    Ticket join(String name) {
        var request = new LeaseRequest(
                new LockKey("jobs", "a"), Mode.EXCLUSIVE, ttlMillis, 60_000, new Holder(name, null, null), null);
        return ((Joined.Created) state.join(request, "t-" + name, nanos, millis)).ticket();
    }

    /** A holder of shard "a", granted through a written record. */
    Lease holder(String name) {
        Ticket ticket = join(name);
        state.written((CommitStep.Write) state.nextStep(nanos, millis), nanos, nanos, millis);
        Lease lease = ticket.lease();
        assertThat(lease).isNotNull();
        return lease;
    }

    void advance(long deltaMillis) {
        nanos += deltaMillis * 1_000_000;
        millis += deltaMillis;
    }
}
