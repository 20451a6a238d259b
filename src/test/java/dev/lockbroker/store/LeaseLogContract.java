package dev.lockbroker.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.Clock;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.LeaseEntry;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.core.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseLog} must do, run against each store: create-if-absent per record number,
 * the newest record found after any number of appends, and a broker that survives its own restart.
 * A subclass supplies fresh logs over one shared backing store.
 */
public abstract class LeaseLogContract {

    /** A new log client over the same backing store as every other call in this test. */
    protected abstract LeaseLog openLog();

    /** Releases whatever {@link #openLog} made before a second client may open the same store. */
    protected void closeLog(LeaseLog log) {
        log.close();
    }

    private static final Holder HOLDER = new Holder("contract", "host-a", 42L);

    private static LeaseRecord record(long seq, long lastToken, LeaseEntry... leases) {
        return new LeaseRecord(seq, lastToken, 1_700_000_000_000L + seq, List.of(leases));
    }

    private static LeaseEntry entry(String id, String shard, long token) {
        return new LeaseEntry(id, shard, Mode.EXCLUSIVE, token, HOLDER, 30_000, 1_700_000_000_000L, 1_700_000_000_500L);
    }

    @Test
    void empty_namespace_has_no_record() {
        LeaseLog log = openLog();
        assertThat(log.latestAfter("empty-ns", 0)).isEmpty();
        closeLog(log);
    }

    @Test
    void a_record_number_is_created_once_and_keeps_the_first_content() {
        LeaseLog log = openLog();
        assertThat(log.append("once", record(1, 1, entry("first", "s1", 1)))).isTrue();
        assertThat(log.append("once", record(1, 7, entry("second", null, 7)))).isFalse();
        LeaseRecord latest = log.latestAfter("once", 0).orElseThrow();
        assertThat(latest.lastToken()).isEqualTo(1);
        assertThat(latest.leases()).extracting(LeaseEntry::leaseId).containsExactly("first");
        closeLog(log);
    }

    @Test
    void records_round_trip_every_field() {
        LeaseLog log = openLog();
        LeaseEntry whole = new LeaseEntry("w", null, Mode.SHARED, 3, new Holder("n", null, null), 1_000, 5, 6);
        LeaseRecord written = record(1, 3, entry("x", "shard.1-A_b", 2), whole);
        assertThat(log.append("round-trip", written)).isTrue();
        assertThat(log.latestAfter("round-trip", 0)).contains(written);
        closeLog(log);
    }

    @Test
    void latest_after_finds_the_newest_record_and_nothing_at_or_below_a_known_number() {
        LeaseLog log = openLog();
        for (long seq = 1; seq <= 40; seq++) {
            assertThat(log.append("many", record(seq, seq))).isTrue();
        }
        assertThat(log.latestAfter("many", 0).orElseThrow().seq()).isEqualTo(40);
        assertThat(log.latestAfter("many", 17).orElseThrow().seq()).isEqualTo(40);
        assertThat(log.latestAfter("many", 39).orElseThrow().seq()).isEqualTo(40);
        assertThat(log.latestAfter("many", 40)).isEmpty();
        assertThat(log.append("many", record(40, 99))).isFalse();
        closeLog(log);
    }

    @Test
    void namespaces_are_separate_logs() {
        LeaseLog log = openLog();
        assertThat(log.append("ns-a", record(1, 1))).isTrue();
        assertThat(log.append("ns-b", record(1, 1))).isTrue();
        assertThat(log.append("ns-a.b", record(1, 1))).isTrue();
        assertThat(log.latestAfter("ns-c", 0)).isEmpty();
        closeLog(log);
    }

    @Test
    void racing_writers_of_one_number_have_exactly_one_winner() throws Exception {
        LeaseLog log = openLog();
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 1; round <= 20; round++) {
                long seq = round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    results.add(pool.submit(() -> {
                        start.await();
                        return log.append("race", record(seq, seq * 100 + writer, entry("w" + writer, null, seq)));
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> r : results) {
                    winners += r.get() ? 1 : 0;
                }
                assertThat(winners).as("winners in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        closeLog(log);
    }

    @Test
    void a_restarted_broker_keeps_held_leases_and_continues_tokens() {
        LockKey key = new LockKey("restart", "s1");
        LeaseLog first = openLog();
        LockService before = service(first);
        var held = (AcquireOutcome.Granted) before.acquire(request(key, Mode.EXCLUSIVE, 0), 5_000);
        before.close();
        closeLog(first);

        LeaseLog second = openLog();
        LockService after = service(second);
        try {
            assertThat(after.acquire(request(key, Mode.EXCLUSIVE, 0), 5_000)).isInstanceOf(AcquireOutcome.Busy.class);
            assertThat(after.acquire(request(LockKey.whole("restart"), Mode.SHARED, 0), 5_000))
                    .isInstanceOf(AcquireOutcome.Busy.class);
            assertThat(after.heartbeat(held.lease().leaseId()).token())
                    .isEqualTo(held.lease().token());
            after.release(held.lease().leaseId());
            var next = (AcquireOutcome.Granted) after.acquire(request(key, Mode.EXCLUSIVE, 5), 5_000);
            assertThat(next.lease().token()).isGreaterThan(held.lease().token());
        } finally {
            after.close();
            closeLog(second);
        }
    }

    /** A lock service over {@code log} with the system clock and default settings, as a broker runs one. */
    public static LockService service(LeaseLog log) {
        AtomicInteger failures = new AtomicInteger();
        return new LockService(
                log,
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                LockEventListener.NONE,
                LockSettings.defaults(),
                (ns, e) -> failures.incrementAndGet());
    }

    private static LeaseRequest request(LockKey key, Mode mode, long waitSeconds) {
        return new LeaseRequest(key, mode, 30_000, waitSeconds * 1000, HOLDER, null);
    }
}
