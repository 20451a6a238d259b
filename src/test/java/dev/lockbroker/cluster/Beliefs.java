package dev.lockbroker.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Jepsen-style check of what clients believed: each belief runs from the grant received to the
 * client library's validity rule (send of the last acknowledged request + TTL − margin) or the
 * release sent, whichever is first. Each namespace has one exclusive key: on it no two beliefs may
 * overlap, no token may repeat, and tokens increase in the order grants were received.
 */
final class Beliefs {
    /** One client's belief of holding the key. {@code broker} is the base URL index it talked to. */
    record Belief(int client, int broker, String namespace, long token, long grantedNanos, long endNanos) {
        boolean isEmpty() {
            return endNanos - grantedNanos <= 0;
        }
    }

    /** What the check found; {@code worstOverlapMillis} is the longest overlap. */
    record Report(
            int beliefs,
            int overlaps,
            double worstOverlapMillis,
            double totalOverlapMillis,
            int inversions,
            int repeatedTokens,
            List<String> examples) {
        boolean isClean() {
            return overlaps == 0 && inversions == 0 && repeatedTokens == 0;
        }

        @Override
        public String toString() {
            return String.format(
                    "%d beliefs: %d overlaps (worst %.0f ms, total %.0f ms), %d token inversions, %d repeated tokens%s",
                    beliefs,
                    overlaps,
                    worstOverlapMillis,
                    totalOverlapMillis,
                    inversions,
                    repeatedTokens,
                    examples.isEmpty() ? "" : "; e.g. " + examples);
        }
    }

    private Beliefs() {}

    static Report check(List<Belief> all) {
        List<Belief> beliefs = all.stream()
                .filter(b -> !b.isEmpty())
                .sorted(Comparator.comparingLong(Belief::grantedNanos))
                .toList();
        int overlaps = 0;
        int inversions = 0;
        int repeated = 0;
        double worst = 0;
        double total = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < beliefs.size(); i++) {
            Belief a = beliefs.get(i);
            for (int j = i + 1; j < beliefs.size(); j++) {
                Belief b = beliefs.get(j); // granted no earlier than a
                if (!a.namespace().equals(b.namespace())) {
                    continue;
                }
                if (a.token() == b.token()) {
                    repeated++;
                }
                if (a.token() > b.token()) {
                    inversions++;
                }
                long overlapNanos = Math.min(a.endNanos(), b.endNanos()) - b.grantedNanos();
                if (overlapNanos > 0) {
                    overlaps++;
                    worst = Math.max(worst, overlapNanos / 1e6);
                    total += overlapNanos / 1e6;
                    if (examples.size() < 3) {
                        examples.add("token " + a.token() + " (via b" + a.broker() + ") and " + b.token() + " (via b"
                                + b.broker() + ") for " + overlapNanos / 1_000_000 + " ms");
                    }
                }
            }
        }
        return new Report(beliefs.size(), overlaps, worst, total, inversions, repeated, examples);
    }
}
