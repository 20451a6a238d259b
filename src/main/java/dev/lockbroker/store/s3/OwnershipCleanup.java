package dev.lockbroker.store.s3;

import java.time.Duration;

/**
 * How the ownership logs are kept short (README, "Several brokers"): the broker whose renewal made
 * a partition's record number a multiple of {@code everyRecords} deletes every record below it a
 * {@code deleteDelay} later. A read or write counts only if its answer arrived less than half the
 * delete delay after this broker last saw the log's newest number (on its monotonic and its wall
 * clock); otherwise the log is read cold by a LIST, which shows the newest number whatever was deleted.
 *
 * @param everyRecords clean up once per this many records (at least 2)
 * @param deleteDelay how long a record that was seen newer than the doomed ones stands before they go
 * @param checks false only in tests that show what the freshness check prevents
 */
public record OwnershipCleanup(int everyRecords, Duration deleteDelay, boolean checks) {
    /** Records per cleanup: at TTL 15 s one cleanup (a LIST and a DeleteObjects) every 2 minutes per partition. */
    public static final int EVERY_RECORDS = 24;

    public OwnershipCleanup {
        if (everyRecords < 2 || deleteDelay.toMillis() < 2) {
            throw new IllegalArgumentException(
                    "ownership cleanup needs at least 2 records and 2 ms: " + everyRecords + ", " + deleteDelay);
        }
    }

    /**
     * For ownership TTL {@code ttlMillis}: a delete delay of 4 TTLs, so what a broker saw stays fresh
     * for 2 TTLs, past any renewal or read period (TTL/3) and any owner's validity (under a TTL).
     */
    public static OwnershipCleanup forTtl(long ttlMillis) {
        return new OwnershipCleanup(EVERY_RECORDS, Duration.ofMillis(4 * ttlMillis), true);
    }

    /** Unsafe: every read and write counts, as before cleanup existed. Only for tests that must see the hazard. */
    OwnershipCleanup withoutChecks() {
        return new OwnershipCleanup(everyRecords, deleteDelay, false);
    }

    /** How long a sight of a log's newest number spares a cold read: half the delete delay. */
    long freshMillis() {
        return deleteDelay.toMillis() / 2;
    }
}
