package dev.lockbroker.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition, bounded: tests poll observable state instead of sleeping a fixed time. */
public final class Poll {
    private Poll() {}

    /** Polls every 20 ms; the elapsed time when it held, or AssertionError naming {@code what} after {@code timeout}. */
    public static Duration until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
