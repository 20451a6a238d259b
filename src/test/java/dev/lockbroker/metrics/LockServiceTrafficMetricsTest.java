package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.EndReason;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockEvent;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.core.Mode;
import dev.lockbroker.store.file.FileLeaseLog;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real traffic through a real {@link LockService} over the file store, on a clock moved by hand:
 * the scraped histograms and gauges must say exactly what happened.
 */
class LockServiceTrafficMetricsTest {
    private static final String WAIT = "lockbroker_lock_wait_seconds";
    private static final String HOLD = "lockbroker_lock_hold_seconds";
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    private final StepClock clock = new StepClock(0);
    private final BrokerMetrics metrics = BrokerMetrics.create(10);
    private final RecordingListener events = new RecordingListener(metrics.listener());
    private final ExecutorService commits = Executors.newVirtualThreadPerTaskExecutor();
    private LockService service;

    @BeforeEach
    void start() {
        service = new LockService(
                metrics.wrap(new FileLeaseLog(dir)), clock, commits, events, LockSettings.defaults(), (ns, e) -> {});
    }

    @AfterEach
    void stop() {
        service.close();
        commits.shutdownNow();
        metrics.close();
    }

    @Test
    void histograms_and_gauges_match_grants_timeouts_cancellations_expiries_and_abandonment() throws Exception {
        String a = granted(acquire(Mode.EXCLUSIVE, 1_000, HOUR, 5_000));
        String b = queued(acquire(Mode.EXCLUSIVE, HOUR, 50, 0));
        String c = queued(acquire(Mode.EXCLUSIVE, HOUR, HOUR, 0));
        assertGauges(2, 1, 0);

        clock.advanceMillis(20);
        service.cancel(c);
        clock.advanceMillis(70);
        service.sweep();
        await(EndReason.TIMED_OUT);
        String eTicket = queued(acquire(Mode.SHARED, HOUR, HOUR, 0));

        clock.advanceMillis(1_500);
        service.sweep();
        await(EndReason.EXPIRED);
        await(EndReason.GRANTED);
        String e = ((AcquireOutcome.Granted) service.poll(eTicket, 0)).lease().leaseId();
        String f = granted(acquire(Mode.SHARED, HOUR, HOUR, 5_000));
        queued(acquire(Mode.EXCLUSIVE, HOUR, HOUR, 0));
        assertThat(acquire(Mode.EXCLUSIVE, HOUR, 0, 5_000)).isInstanceOf(AcquireOutcome.Busy.class);
        assertGauges(1, 0, 2);

        clock.advanceMillis(61_000);
        service.sweep();
        await(EndReason.ABANDONED);
        service.release(e);
        service.release(f);
        assertGauges(0, 0, 0);

        Scrape s = scrape();
        assertThat(a).isNotEqualTo(b);
        assertCounts(s, WAIT, "exclusive", "granted", 1, "0.001", 1);
        assertCounts(s, WAIT, "exclusive", "cancelled", 1, "0.01", 0);
        assertCounts(s, WAIT, "exclusive", "cancelled", 1, "0.025", 1);
        assertCounts(s, WAIT, "exclusive", "timeout", 1, "0.05", 0);
        assertCounts(s, WAIT, "exclusive", "timeout", 1, "0.1", 1);
        assertCounts(s, WAIT, "exclusive", "abandoned", 1, "60.0", 0);
        assertCounts(s, WAIT, "exclusive", "abandoned", 1, "120.0", 1);
        assertCounts(s, WAIT, "shared", "granted", 2, "0.001", 1);
        assertCounts(s, WAIT, "shared", "granted", 2, "1.0", 1);
        assertCounts(s, WAIT, "shared", "granted", 2, "2.5", 2);
        assertThat(total(s, WAIT + "_count")).isEqualTo(6);
        assertCounts(s, HOLD, "exclusive", "expired", 1, "1.0", 0);
        assertCounts(s, HOLD, "exclusive", "expired", 1, "2.5", 1);
        assertCounts(s, HOLD, "shared", "released", 2, "60.0", 0);
        assertCounts(s, HOLD, "shared", "released", 2, "120.0", 2);
        assertThat(total(s, HOLD + "_count")).isEqualTo(3);
        assertThat(s.value("lockbroker_store_request_seconds_count", "operation", "append", "outcome", "created"))
                .isPositive();
        assertThat(total(s, "lockbroker_store_request_seconds_count", "outcome", "error"))
                .isZero();
    }

    private AcquireOutcome acquire(Mode mode, long ttlMillis, long waitMillis, long pollMillis) {
        LeaseRequest request = new LeaseRequest(
                LockKey.whole("orders"), mode, ttlMillis, waitMillis, new Holder("worker", "localhost", 1L), null);
        return service.acquire(request, pollMillis);
    }

    private String granted(AcquireOutcome outcome) throws InterruptedException {
        assertThat(outcome).isInstanceOf(AcquireOutcome.Granted.class);
        await(EndReason.GRANTED);
        return ((AcquireOutcome.Granted) outcome).lease().leaseId();
    }

    private static String queued(AcquireOutcome outcome) {
        assertThat(outcome).isInstanceOf(AcquireOutcome.Queued.class);
        return ((AcquireOutcome.Queued) outcome).ticket().ticketId();
    }

    /** Waits for the event that ended with {@code reason}, and for the counts its thread delivered after it. */
    private LockEvent await(EndReason reason) throws InterruptedException {
        RecordingListener.Delivered ended =
                events.await(d -> d.event() instanceof LockEvent.WaitEnded w && w.outcome() == reason
                        || d.event() instanceof LockEvent.LeaseEnded l && l.outcome() == reason);
        events.await(d -> d.thread() == ended.thread() && d.event() instanceof LockEvent.Counts);
        return ended.event();
    }

    private void assertGauges(int waiting, int exclusive, int shared) {
        Scrape s = scrape();
        assertThat(s.value("lockbroker_queue_depth", "namespace", "orders")).isEqualTo(waiting);
        assertThat(s.value("lockbroker_leases_active", "namespace", "orders", "mode", "exclusive"))
                .isEqualTo(exclusive);
        assertThat(s.value("lockbroker_leases_active", "namespace", "orders", "mode", "shared"))
                .isEqualTo(shared);
    }

    private static void assertCounts(
            Scrape s, String name, String mode, String outcome, int count, String le, int inBucket) {
        String[] series = {"namespace", "orders", "mode", mode, "outcome", outcome};
        assertThat(s.value(name + "_count", series))
                .as(name + " " + mode + " " + outcome)
                .isEqualTo(count);
        String[] bucket = java.util.Arrays.copyOf(series, series.length + 2);
        bucket[series.length] = "le";
        bucket[series.length + 1] = le;
        assertThat(s.value(name + "_bucket", bucket))
                .as(name + " " + mode + " " + outcome + " le " + le)
                .isEqualTo(inBucket);
    }

    private static double total(Scrape s, String name, String... labels) {
        return s.matching(name, labels).stream()
                .mapToDouble(Scrape.Sample::value)
                .sum();
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.scrape());
    }
}
