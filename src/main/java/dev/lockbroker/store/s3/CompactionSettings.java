package dev.lockbroker.store.s3;

import java.time.Duration;

/**
 * When the S3 store compacts a namespace into a new generation (README, "Bounded growth").
 *
 * @param everyRecords seal a generation once it holds this many records (0: never, not even idle)
 * @param idleRecords seal a generation of at least this many records once its namespace is idle
 * @param idleAfter how long without an append makes a namespace idle
 * @param sealDelay how long a generation is announced before it is sealed
 * @param clearWindow how long after one check finds no announcement a writer may skip the next;
 *     at most half the seal delay, so clocks whose rates differ by up to 2× stay safe
 * @param sealChecks false only in tests that show what the check prevents
 */
public record CompactionSettings(
        int everyRecords,
        int idleRecords,
        Duration idleAfter,
        Duration sealDelay,
        Duration clearWindow,
        boolean sealChecks) {

    public static final CompactionSettings DEFAULTS = new CompactionSettings(
            512, 16, Duration.ofMinutes(15), Duration.ofSeconds(60), Duration.ofSeconds(20), true);

    /** No compaction at all: the store grows by one object per record, as before generations existed. */
    public static final CompactionSettings NEVER = DEFAULTS.withEvery(0);

    public CompactionSettings {
        if (everyRecords < 0 || everyRecords == 1 || idleRecords < 2) {
            throw new IllegalArgumentException(
                    "compaction needs at least 2 records: " + everyRecords + ", " + idleRecords);
        }
        if (clearWindow.isNegative() || sealDelay.compareTo(clearWindow.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException(
                    "seal delay " + sealDelay + " must be at least twice the clear window " + clearWindow);
        }
        if (idleAfter.compareTo(sealDelay) < 0) {
            throw new IllegalArgumentException("idle time " + idleAfter + " must be at least the seal delay");
        }
    }

    public CompactionSettings withEvery(int newEveryRecords) {
        return new CompactionSettings(newEveryRecords, idleRecords, idleAfter, sealDelay, clearWindow, sealChecks);
    }

    /** Shorter times for tests and benchmark mains: seal delay, clear window and idle time. */
    public CompactionSettings withTimes(Duration newSealDelay, Duration newClearWindow, Duration newIdleAfter) {
        return new CompactionSettings(
                everyRecords, idleRecords, newIdleAfter, newSealDelay, newClearWindow, sealChecks);
    }

    /** Unsafe: writers and readers never check for a seal. Only for tests that must see the hazard. */
    CompactionSettings withoutSealChecks() {
        return new CompactionSettings(everyRecords, idleRecords, idleAfter, sealDelay, clearWindow, false);
    }

    boolean compacts() {
        return everyRecords > 0;
    }
}
