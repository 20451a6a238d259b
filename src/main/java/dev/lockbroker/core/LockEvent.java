package dev.lockbroker.core;

import dev.lockbroker.core.EndReason.LeaseEnd;
import dev.lockbroker.core.EndReason.WaitEnd;
import org.jspecify.annotations.Nullable;

/** What happened in the core, for adapters such as metrics and logs. Emitted outside core locks. */
public sealed interface LockEvent {
    String namespace();

    /** A wait ended: granted, timed out, cancelled, abandoned or busy. */
    record WaitEnded(String namespace, @Nullable String shard, Mode mode, WaitEnd outcome, long waitNanos)
            implements LockEvent {}

    /** A lease ended: released, expired or revoked. */
    record LeaseEnded(String namespace, @Nullable String shard, Mode mode, LeaseEnd outcome, long holdNanos)
            implements LockEvent {}

    /**
     * The namespace's counts after a change. Events are delivered outside the namespace lock, so two
     * may arrive out of order: {@code version} increases with every change of one namespace, and a
     * listener keeps the counts of the highest version it has seen.
     */
    record Counts(String namespace, long version, int waiting, int exclusiveHeld, int sharedHeld)
            implements LockEvent {}

    /** The namespace was idle and is forgotten in memory (its counts were zero); it may come back. */
    record Forgotten(String namespace) implements LockEvent {}
}
