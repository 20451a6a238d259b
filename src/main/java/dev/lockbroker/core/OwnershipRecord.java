package dev.lockbroker.core;

/**
 * One record of a partition's ownership log: who owns the partition's namespaces as of record
 * {@code seq}, decided by creating the record with create-if-absent. An owner renews by creating the
 * next number; a record with {@code released} hands the partition back (a broker stopping, or giving
 * away partitions), and a peer may claim it at once.
 *
 * @param brokerId the owner's configured id
 * @param incarnation random per process start: a restarted broker with the same id is another owner
 * @param url where the owner answers, for redirects
 * @param ttlMillis the owner's ownership TTL: a peer takes over only after watching this record
 *     unchanged for longer than it (plus the drift allowance)
 * @param sinceMillis wall time the owner's tenure began (shown, never compared)
 * @param writtenAtMillis wall time of this record (shown, never compared)
 */
public record OwnershipRecord(
        long seq,
        String brokerId,
        String incarnation,
        String url,
        long ttlMillis,
        long sinceMillis,
        long writtenAtMillis,
        boolean released) {

    public OwnershipRecord {
        if (seq < 1) {
            throw new IllegalArgumentException("ownership record numbers start at 1, not " + seq);
        }
        if (ttlMillis < 1) {
            throw new IllegalArgumentException("ownership TTL must be positive, not " + ttlMillis);
        }
    }

    /** Whether this record names the given process (id and incarnation) as the owner. */
    boolean isBy(Member member) {
        return brokerId.equals(member.brokerId()) && incarnation.equals(member.incarnation());
    }
}
