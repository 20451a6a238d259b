package dev.lockbroker.store.s3;

import java.time.Duration;

/**
 * When the S3 store compacts a namespace into a new generation (README, "Bounded growth").
 *
 * @param everyRecords seal a generation once it holds this many records (0: never, not even idle)
 * @param idleRecords seal a generation of at least this many records once its namespace is idle
 * @param idleAfter how long without an append makes a namespace idle
 * @param deleteDelay how long a sealed generation's records stay before they are deleted; a
 *     broker skips the seal check while what it last saw is younger than half of it, so clocks
 *     whose rates differ by up to 2× stay safe
 * @param retireAfter how long without any use, and past every lease's reach, retires a namespace
 *     (README, "Bounded growth"); at least the delete delay
 * @param sealChecks false only in tests that show what the check prevents
 * @param retireChecks false only in tests that show what the retirement check prevents ({@link Epochs})
 */
public record CompactionSettings(
        int everyRecords,
        int idleRecords,
        Duration idleAfter,
        Duration deleteDelay,
        Duration retireAfter,
        boolean sealChecks,
        boolean retireChecks) {

    public static final CompactionSettings DEFAULTS = new CompactionSettings(
            512, 16, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15), true, true);

    /**
     * No compaction and no retirement by this broker: the store grows by one object per record, as
     * before generations existed. It still checks for other brokers' seals and retirements.
     */
    public static final CompactionSettings NEVER = DEFAULTS.withEvery(0);

    public CompactionSettings {
        if (everyRecords < 0 || everyRecords == 1 || idleRecords < 2) {
            throw new IllegalArgumentException(
                    "compaction needs at least 2 records: " + everyRecords + ", " + idleRecords);
        }
        if (deleteDelay.toMillis() < 2
                || idleAfter.compareTo(deleteDelay) < 0
                || retireAfter.compareTo(deleteDelay) < 0) {
            throw new IllegalArgumentException("idle times " + idleAfter + ", " + retireAfter
                    + " must be at least the delete delay " + deleteDelay);
        }
    }

    public CompactionSettings withEvery(int newEveryRecords) {
        return new CompactionSettings(
                newEveryRecords, idleRecords, idleAfter, deleteDelay, retireAfter, sealChecks, retireChecks);
    }

    /** Shorter times for tests and benchmark mains. */
    public CompactionSettings withTimes(Duration newDeleteDelay, Duration newIdleAfter) {
        return new CompactionSettings(
                everyRecords, idleRecords, newIdleAfter, newDeleteDelay, retireAfter, sealChecks, retireChecks);
    }

    /**
     * Unsafe: writers and readers check neither for a seal nor for a retirement, and send exactly
     * the requests of the store before generations. Only for tests and mains that must see the hazard.
     */
    CompactionSettings withoutSealChecks() {
        return new CompactionSettings(everyRecords, idleRecords, idleAfter, deleteDelay, retireAfter, false, false);
    }

    /** The same with namespaces retired after {@code newRetireAfter} unused. */
    public CompactionSettings withRetireAfter(Duration newRetireAfter) {
        return new CompactionSettings(
                everyRecords, idleRecords, idleAfter, deleteDelay, newRetireAfter, sealChecks, retireChecks);
    }

    /** Unsafe: writers and readers never check for a retirement. Only for tests that must see the hazard. */
    CompactionSettings withoutRetireChecks() {
        return new CompactionSettings(
                everyRecords, idleRecords, idleAfter, deleteDelay, retireAfter, sealChecks, false);
    }

    boolean compacts() {
        return everyRecords > 0;
    }

    /** How long what a broker saw of a namespace spares it the seal check: half the delete delay. */
    long freshMillis() {
        return deleteDelay.toMillis() / 2;
    }
}
