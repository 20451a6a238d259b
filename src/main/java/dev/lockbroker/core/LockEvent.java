package dev.lockbroker.core;

/** What happened in the core, for adapters such as metrics and logs. Emitted outside core locks. */
public sealed interface LockEvent {
    String namespace();

    /** A wait ended: granted, timed out, cancelled, abandoned or busy. */
    record WaitEnded(String namespace, String shard, Mode mode, EndReason outcome, long waitNanos)
            implements LockEvent {}

    /** A lease ended: released, expired or revoked. */
    record LeaseEnded(String namespace, String shard, Mode mode, EndReason outcome, long holdNanos)
            implements LockEvent {}

    /** The namespace's counts after a change. */
    record Counts(String namespace, int waiting, int exclusiveHeld, int sharedHeld) implements LockEvent {}
}
