package dev.lockbroker.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the commit loop's backoff after a store failure. A port beside
 * {@link Clock}, so tests run the backoff on a fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Scheduler {
    void schedule(long delayMillis, Runnable task);

    /** Real time: runs the task on {@code executor} after the delay. */
    static Scheduler after(Executor executor) {
        return (delayMillis, task) -> CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, executor)
                .execute(task);
    }
}
