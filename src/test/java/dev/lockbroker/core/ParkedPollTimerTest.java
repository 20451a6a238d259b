package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A parked poll answered before its window ends cancels the window's timer: with thousands of
 * waiters re-polling, timers left to run out would each hold their poll (and its ticket) for up to
 * a whole window.
 */
class ParkedPollTimerTest {
    /** Records every task; runs none (the windows never close by themselves here). */
    private static final class RecordingScheduler implements Scheduler {
        final List<boolean[]> cancelled = new ArrayList<>();

        @Override
        public synchronized Scheduled schedule(long delayMillis, Runnable task) {
            boolean[] flag = new boolean[1];
            cancelled.add(flag);
            return () -> flag[0] = true;
        }

        synchronized long pending() {
            return cancelled.stream().filter(f -> !f[0]).count();
        }
    }

    @Test
    void a_poll_granted_before_its_window_ends_cancels_its_timer() throws Exception {
        RecordingScheduler scheduler = new RecordingScheduler();
        try (LockService service = new LockService(
                new MemoryLeaseLog(),
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                scheduler,
                LockEventListener.NONE,
                LockSettings.defaults(),
                (ns, e) -> {})) {
            var held = (AcquireOutcome.Granted) service.acquire(request("holder"), 0);
            CompletableFuture<AcquireOutcome> waiting = service.acquireAsync(request("waiter"), 20_000);
            assertThat(waiting).isNotDone();
            assertThat(scheduler.pending()).as("the window's timer").isEqualTo(1);

            service.release(held.lease().leaseId());
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(AcquireOutcome.Granted.class);
            assertThat(scheduler.pending()).as("timers left after the grant").isZero();
        }
    }

    private static LeaseRequest request(String name) {
        return new LeaseRequest(
                LockKey.whole("timers"), Mode.EXCLUSIVE, 30_000, 60_000, new Holder(name, null, null), name);
    }
}
