package dev.lockbroker.core;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/** What the per-namespace engines of one {@link LockService} share. */
record EngineContext(
        LeaseLog log,
        Clock clock,
        Executor executor,
        Scheduler scheduler,
        LockEventListener listener,
        LockSettings settings,
        Map<String, NamespaceLocks> owners,
        BiConsumer<String, RuntimeException> failures,
        BooleanSupplier closedFlag,
        AtomicLong eventVersions,
        AtomicInteger ticketsKept,
        AtomicInteger pollsParked) {
    boolean isClosed() {
        return closedFlag.getAsBoolean();
    }

    /** The directory entries of {@code engine}'s ids: each id maps to the engine that holds it. */
    Directory directoryFor(NamespaceLocks engine) {
        return new Directory() {
            @Override
            public void added(String id) {
                owners.put(id, engine);
            }

            @Override
            public void forgotten(String id) {
                owners.remove(id, engine);
            }

            @Override
            public void ticketsChanged(int delta) {
                ticketsKept.addAndGet(delta);
            }

            @Override
            public int ticketsKept() {
                return ticketsKept.get();
            }
        };
    }
}
