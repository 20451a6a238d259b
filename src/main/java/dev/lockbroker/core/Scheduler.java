package dev.lockbroker.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the commit loop's backoff after a store failure, a parked poll's
 * window. A port beside {@link Clock}, so tests run delays on a fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Scheduler {
    /** A task scheduled: cancelling drops it (and what it holds) if it has not run yet. */
    @FunctionalInterface
    interface Scheduled {
        Scheduled NONE = () -> {};

        void cancel();
    }

    Scheduled schedule(long delayMillis, Runnable task);

    /** Real time: runs the task on {@code executor} after the delay; a cancelled task leaves the queue at once. */
    static Scheduler after(Executor executor) {
        return (delayMillis, task) -> {
            var pending = Timers.SHARED.schedule(() -> executor.execute(task), delayMillis, TimeUnit.MILLISECONDS);
            return () -> pending.cancel(false);
        };
    }

    /** One daemon timer thread for every scheduler of the process; tasks only hand work to an executor. */
    final class Timers {
        static final ScheduledThreadPoolExecutor SHARED = create();

        private Timers() {}

        private static ScheduledThreadPoolExecutor create() {
            var timers = new ScheduledThreadPoolExecutor(
                    1, Thread.ofPlatform().daemon().name("lockbroker-timers").factory());
            timers.setRemoveOnCancelPolicy(true);
            return timers;
        }
    }
}
