package dev.lockbroker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A release that lingers for an acquire's record is written when the service closes, with the
 * commit loops on an executor of their own (as in the broker), so a restarted service finds the
 * key free at once instead of waiting out the lease's grace.
 */
class CloseWritesLingeringReleasesTest {
    private final FakeClock clock = new FakeClock(); // never moves: the release would linger for ever
    private final MemoryLeaseLog log = new MemoryLeaseLog();

    private LockService service(ExecutorService loops) {
        return new LockService(log, clock, loops, e -> {}, new LockSettings(10_000, 60_000, 0), (ns, e) -> {});
    }

    private static AcquireOutcome tryOnce(LockService on) {
        var request =
                new LeaseRequest(new LockKey("jobs", "a"), Mode.EXCLUSIVE, 5_000, 0, new Holder("t", null, null), null);
        return on.acquire(request, 0);
    }

    @Test
    void a_lingering_release_is_in_the_log_after_close() {
        try (ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor()) {
            LockService first = service(loops);
            AcquireOutcome held = tryOnce(first);
            assertThat(held).isInstanceOf(AcquireOutcome.Granted.class);
            first.release(((AcquireOutcome.Granted) held).lease().leaseId());
            int appendsBeforeClose = log.appends();

            first.close();

            assertThat(log.appends()).as("the release's own record").isEqualTo(appendsBeforeClose + 1);
            try (LockService restarted = service(loops)) {
                assertThat(tryOnce(restarted)).isInstanceOf(AcquireOutcome.Granted.class);
            }
        }
    }
}
