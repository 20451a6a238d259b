package dev.lockbroker.core;

/**
 * A clock the test moves by hand; monotonic and wall time advance together. The ticker starts ten
 * seconds before {@code Long.MAX_VALUE} (as Caffeine's tests start a minute before it), so most
 * tests carry deadlines across the wrap and any comparison that is not by subtraction fails.
 */
public final class FakeClock implements Clock {
    /** Where the ticker starts: most deadlines a test sets lie past the wrap. */
    public static final long START_NANOS = Long.MAX_VALUE - 10_000_000_000L;

    private long nanos = START_NANOS;
    private long millis = 1_800_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized long wallMillis() {
        return millis;
    }

    public synchronized void advanceMillis(long delta) {
        nanos += delta * 1_000_000;
        millis += delta;
    }
}
