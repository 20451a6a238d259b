package dev.lockbroker.metrics;

import dev.lockbroker.core.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock moved by hand; {@link #stepNanos} is added on every read of the ticker (0 for none). */
final class StepClock implements Clock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final long stepNanos;

    StepClock(long stepNanos) {
        this.stepNanos = stepNanos;
    }

    void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000);
    }

    @Override
    public long nanoTime() {
        return nanos.getAndAdd(stepNanos);
    }

    @Override
    public long wallMillis() {
        return 1_700_000_000_000L + nanos.get() / 1_000_000;
    }
}
