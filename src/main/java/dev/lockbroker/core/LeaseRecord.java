package dev.lockbroker.core;

import java.util.List;

/**
 * Record number {@code seq} of a namespace's lease log: every lease held in the namespace once the
 * transitions of one batch are applied. {@code lastToken} is the largest fencing token ever issued in
 * the namespace, so tokens keep increasing however records follow each other.
 */
public record LeaseRecord(long seq, long lastToken, long writtenAtMillis, List<LeaseEntry> leases) {
    public LeaseRecord {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
        leases = List.copyOf(leases);
    }
}
