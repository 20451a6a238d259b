package dev.lockbroker.metrics;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LeaseLog} that times every call of the one it wraps. Outcomes: append is created,
 * conflict or error; latestAfter is found, empty or error; checkReachable is ok or error. An append
 * that returns false also counts one store conflict. Thread-safe when the wrapped log is.
 */
public final class TimedLeaseLog implements LeaseLog {
    /** Every operation and outcome, registered at zero so that the first error is a visible increase. */
    private static final String[][] SERIES = {
        {"append", "created"}, {"append", "conflict"}, {"append", "error"},
        {"latest_after", "found"}, {"latest_after", "empty"}, {"latest_after", "error"},
        {"check_reachable", "ok"}, {"check_reachable", "error"}
    };

    private final LeaseLog delegate;
    private final Clock clock;
    private final MeterProvider<Timer> requests;
    private final Counter conflicts;

    public TimedLeaseLog(LeaseLog delegate, MeterRegistry registry, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.requests = Timer.builder(MeterNames.STORE_REQUEST_SECONDS)
                .description("Lease log calls, by operation and outcome")
                .serviceLevelObjectives(MeterNames.asArray(MeterNames.STORE_BUCKETS))
                .withRegistry(registry);
        this.conflicts = Counter.builder(MeterNames.STORE_CONFLICTS_TOTAL)
                .description("Appends that found their record number taken (another writer won)")
                .register(registry);
        for (String[] series : SERIES) {
            requests.withTags("operation", series[0], "outcome", series[1]);
        }
    }

    @Override
    public boolean append(String namespace, LeaseRecord record) {
        long start = clock.nanoTime();
        try {
            boolean created = delegate.append(namespace, record);
            if (!created) {
                conflicts.increment();
            }
            record("append", created ? "created" : "conflict", start);
            return created;
        } catch (RuntimeException e) {
            record("append", "error", start);
            throw e;
        }
    }

    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        long start = clock.nanoTime();
        try {
            Optional<LeaseRecord> latest = delegate.latestAfter(namespace, seq);
            record("latest_after", latest.isPresent() ? "found" : "empty", start);
            return latest;
        } catch (RuntimeException e) {
            record("latest_after", "error", start);
            throw e;
        }
    }

    @Override
    public void checkReachable() {
        long start = clock.nanoTime();
        try {
            delegate.checkReachable();
            record("check_reachable", "ok", start);
        } catch (RuntimeException e) {
            record("check_reachable", "error", start);
            throw e;
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void record(String operation, String outcome, long startNanos) {
        requests.withTags("operation", operation, "outcome", outcome)
                .record(Math.max(0, clock.nanoTime() - startNanos), TimeUnit.NANOSECONDS);
    }
}
