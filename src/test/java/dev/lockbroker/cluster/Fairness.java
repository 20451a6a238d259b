package dev.lockbroker.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A check of the order and liveness the clients saw, a pure function over recorded waits, beliefs
 * and disruption windows. Every wait of a namespace is for the same exclusive key, so every two
 * conflict.
 *
 * <ul>
 *   <li><b>FIFO</b>: a violation is a pair (A, B) where B's join was sent more than {@code
 *       enqueueSlack} after A was certainly queued (A's first 202 received), B was granted, and A
 *       was still waiting more than {@code grantSlack} after B's grant was received (A granted later,
 *       or its wait ended later without a grant). Pairs whose span, from A's join to B's grant, meets
 *       a window that may move the namespace to another owner are excused: the protocol drops tickets
 *       with their owner, and waiters join again at the back.
 *   <li><b>Starvation</b>: a waiter starved when, while it was certainly queued, no client believed
 *       it held the key for longer than {@code freeBound} in one stretch, outside every window.
 * </ul>
 */
final class Fairness {
    /**
     * One stretch of waiting by one ticket. {@code joinSentNanos}: the join (or re-join) was sent no
     * earlier; {@code queuedByNanos}: it was certainly queued by then; {@code endNanos}: the grant
     * was received, or the wait ended without one.
     */
    record Wait(int client, String namespace, long joinSentNanos, long queuedByNanos, long endNanos, boolean granted) {}

    /** What a window excuses: an owner change excuses order and idle time, a stall only idle time. */
    enum Kind {
        OWNER_CHANGE,
        STALL
    }

    /** A fault and its recovery: {@code fromNanos} to {@code toNanos}, on the clients' clock. */
    record Window(Kind kind, long fromNanos, long toNanos) {
        boolean meets(long from, long to) {
            return fromNanos - to < 0 && from - toNanos < 0;
        }
    }

    /** The slack and bounds of the check, in nanoseconds. */
    record Bounds(long enqueueSlackNanos, long grantSlackNanos, long freeBoundNanos) {
        static final Bounds DEFAULT = new Bounds(50_000_000L, 200_000_000L, 2_500_000_000L);
    }

    /** What the check found. */
    record Report(int waits, int grants, int fifoViolations, int excusedPairs, int starved, List<String> examples) {
        boolean isClean() {
            return fifoViolations == 0 && starved == 0;
        }

        @Override
        public String toString() {
            return String.format(
                    "%d waits (%d granted): %d FIFO violations (%d pairs excused by owner changes), %d starved waiters%s",
                    waits,
                    grants,
                    fifoViolations,
                    excusedPairs,
                    starved,
                    examples.isEmpty() ? "" : "; e.g. " + examples);
        }
    }

    private Fairness() {}

    static Report check(List<Wait> waits, List<Beliefs.Belief> beliefs, List<Window> windows) {
        return check(waits, beliefs, windows, Bounds.DEFAULT);
    }

    static Report check(List<Wait> waits, List<Beliefs.Belief> beliefs, List<Window> windows, Bounds bounds) {
        List<String> examples = new ArrayList<>();
        int violations = 0;
        int excused = 0;
        for (Wait a : waits) {
            for (Wait b : waits) {
                if (!overtakes(b, a, bounds)) {
                    continue;
                }
                if (meetsAny(windows, Kind.OWNER_CHANGE, a.joinSentNanos(), b.endNanos())) {
                    excused++;
                    continue;
                }
                violations++;
                if (examples.size() < 3) {
                    examples.add(
                            "client " + b.client() + " joined " + (b.joinSentNanos() - a.queuedByNanos()) / 1_000_000
                                    + " ms after client " + a.client() + " was queued and was granted "
                                    + (a.endNanos() - b.endNanos()) / 1_000_000 + " ms before it stopped waiting");
                }
            }
        }
        int starved = 0;
        for (Wait w : waits) {
            long free = longestFree(w, beliefs, windows, bounds);
            if (free > bounds.freeBoundNanos()) {
                starved++;
                if (examples.size() < 6) {
                    examples.add(
                            "client " + w.client() + " waited while the key was free for " + free / 1_000_000 + " ms");
                }
            }
        }
        int grants = (int) waits.stream().filter(Wait::granted).count();
        return new Report(waits.size(), grants, violations, excused, starved, examples);
    }

    /** Whether {@code later} was granted ahead of {@code earlier}, which was queued before it joined. */
    private static boolean overtakes(Wait later, Wait earlier, Bounds bounds) {
        return later != earlier
                && later.granted()
                && later.namespace().equals(earlier.namespace())
                && later.joinSentNanos() - earlier.queuedByNanos() > bounds.enqueueSlackNanos()
                && earlier.endNanos() - later.endNanos() > bounds.grantSlackNanos();
    }

    private static boolean meetsAny(List<Window> windows, Kind kind, long from, long to) {
        return windows.stream().anyMatch(w -> w.kind() == kind && w.meets(from, to));
    }

    /**
     * The longest stretch, while {@code w} was certainly queued (up to {@code grantSlack} before its
     * end, the time its answer may take), in which no belief on its namespace held and no window ran.
     */
    private static long longestFree(Wait w, List<Beliefs.Belief> beliefs, List<Window> windows, Bounds bounds) {
        long from = w.queuedByNanos();
        long to = w.endNanos() - bounds.grantSlackNanos();
        List<long[]> busy = new ArrayList<>();
        beliefs.stream()
                .filter(b -> b.namespace().equals(w.namespace()) && !b.isEmpty())
                .forEach(b -> busy.add(new long[] {b.grantedNanos(), b.endNanos()}));
        windows.forEach(x -> busy.add(new long[] {x.fromNanos(), x.toNanos()}));
        busy.sort(Comparator.comparingLong(x -> x[0]));
        long longest = 0;
        long cursor = from;
        for (long[] span : busy) {
            if (span[1] - cursor <= 0) {
                continue;
            }
            if (span[0] - to >= 0) {
                break;
            }
            longest = Math.max(longest, span[0] - cursor);
            cursor = span[1];
        }
        return Math.max(longest, to - cursor);
    }
}
