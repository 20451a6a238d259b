package dev.lockbroker.core;

/** A clock the test moves by hand; monotonic and wall time advance together. */
public final class FakeClock implements Clock {
    private long nanos = 1_000_000_000L;
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
