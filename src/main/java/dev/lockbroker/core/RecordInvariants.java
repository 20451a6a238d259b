package dev.lockbroker.core;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What every record must satisfy, checked before this broker appends one and before it adopts one
 * it read. A record that breaks them is refused loudly ({@link Violation}), never written or
 * adopted: the namespace stops changing until someone looks, rather than granting from nonsense.
 */
final class RecordInvariants {
    /** A record that breaks an invariant; the commit loop reports it and treats the store as failing. */
    static final class Violation extends IllegalStateException {
        Violation(LeaseRecord record, String broken) {
            super("record " + record.seq() + " refused: " + broken);
        }
    }

    private RecordInvariants() {}

    /**
     * Before an append: the record follows the newest one known ({@code seq}, {@code lastToken})
     * exactly, and {@code isKnown} tells the leases already held.
     */
    static void checkAppend(LeaseRecord next, long seq, long lastToken, Predicate<String> isKnown) {
        if (next.seq() != seq + 1) {
            throw new Violation(next, "its number does not follow " + seq);
        }
        checkEntries(next, lastToken, isKnown);
    }

    /** Before adopting a record read from the log, which may be several numbers past the newest known. */
    static void checkAdopted(LeaseRecord next, long seq, long lastToken, Predicate<String> isKnown) {
        if (next.seq() <= seq) {
            throw new Violation(next, "its number is not past " + seq);
        }
        checkEntries(next, lastToken, isKnown);
    }

    private static void checkEntries(LeaseRecord next, long lastToken, Predicate<String> isKnown) {
        if (next.lastToken() < lastToken) {
            throw new Violation(next, "its last token " + next.lastToken() + " went back from " + lastToken);
        }
        Set<String> ids = new HashSet<>();
        Set<Long> tokens = new HashSet<>();
        Footprint footprint = new Footprint();
        for (LeaseEntry entry : next.leases()) {
            String id = entry.leaseId();
            long token = entry.token();
            if (!ids.add(id) || !tokens.add(token)) {
                throw new Violation(next, "lease " + id + " or token " + token + " appears twice");
            }
            if (token < 1 || token > next.lastToken()) {
                throw new Violation(next, "token " + token + " is outside 1.." + next.lastToken());
            }
            if (token <= lastToken && !isKnown.test(id)) {
                throw new Violation(next, "new lease " + id + " has token " + token + ", not above " + lastToken);
            }
            if (entry.ttlMillis() < LeaseRequest.MIN_TTL_MILLIS || entry.ttlMillis() > LeaseRequest.MAX_TTL_MILLIS) {
                throw new Violation(next, "lease " + id + " has TTL " + entry.ttlMillis() + " ms, out of range");
            }
            if (footprint.conflictsWith(entry.shard(), entry.mode())) {
                throw new Violation(next, "lease " + id + " conflicts with another entry");
            }
            footprint.add(entry.shard(), entry.mode());
        }
    }
}
