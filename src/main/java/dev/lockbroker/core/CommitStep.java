package dev.lockbroker.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** What the commit loop is to do next for a namespace, as {@link NamespaceState#nextStep} decides. */
sealed interface CommitStep {
    /** Nothing to write or read: the loop stops. */
    enum Idle implements CommitStep {
        INSTANCE
    }

    /** Read the log for records newer than {@code afterSeq} (another broker may have written). */
    record Refresh(long afterSeq) implements CommitStep {}

    /**
     * Append {@code record} create-only. {@code grants} are the tickets it grants, in the order of
     * {@code grantEntries}; {@code endsCovered} are the ended leases it leaves out.
     */
    record Write(LeaseRecord record, List<Ticket> grants, List<LeaseEntry> grantEntries, Set<String> endsCovered)
            implements CommitStep {
        public Write {
            grants = List.copyOf(grants);
            grantEntries = List.copyOf(grantEntries);
            endsCovered = Set.copyOf(endsCovered);
        }

        /**
         * The record after {@code seq}: every holder, then a new lease for each of {@code grants}
         * with the next tokens after {@code lastToken}.
         */
        static Write plan(
                String namespace,
                long seq,
                long lastToken,
                Collection<Lease> holders,
                List<Ticket> grants,
                Set<String> endsCovered,
                long nowMillis) {
            long token = lastToken;
            List<LeaseEntry> entries = new ArrayList<>();
            holders.forEach(l -> entries.add(l.toEntry()));
            List<LeaseEntry> grantEntries = new ArrayList<>();
            for (Ticket ticket : grants) {
                LeaseRequest r = ticket.request;
                grantEntries.add(new LeaseEntry(
                        LeaseIds.next(namespace),
                        r.key().shard(),
                        r.mode(),
                        ++token,
                        r.holder(),
                        r.ttlMillis(),
                        nowMillis,
                        nowMillis));
            }
            entries.addAll(grantEntries);
            LeaseRecord record = new LeaseRecord(seq + 1, token, nowMillis, entries);
            return new Write(record, grants, grantEntries, endsCovered);
        }
    }
}
