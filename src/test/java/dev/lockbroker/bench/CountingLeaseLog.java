package dev.lockbroker.bench;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.core.LeaseRecord;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the requests a broker makes of its store. */
final class CountingLeaseLog implements LeaseLog {
    private final LeaseLog inner;
    final AtomicLong appends = new AtomicLong();
    final AtomicLong reads = new AtomicLong();

    CountingLeaseLog(LeaseLog inner) {
        this.inner = inner;
    }

    @Override
    public boolean append(String namespace, LeaseRecord record) {
        appends.incrementAndGet();
        return inner.append(namespace, record);
    }

    @Override
    public Optional<LeaseRecord> latestAfter(String namespace, long seq) {
        reads.incrementAndGet();
        return inner.latestAfter(namespace, seq);
    }

    @Override
    public void checkReachable() {
        inner.checkReachable();
    }

    @Override
    public void close() {
        inner.close();
    }

    long total() {
        return appends.get() + reads.get();
    }
}
