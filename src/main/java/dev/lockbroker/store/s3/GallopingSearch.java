package dev.lockbroker.store.s3;

import java.util.function.LongPredicate;

/**
 * Finds the highest existing number of a sequence that has no gaps (n+1 exists only if n does) and
 * only grows: probe start+1, start+2, start+4 ... until one is absent, then bisect between the last
 * present and the first absent probe. About 2·log2(d) probes for d newer numbers.
 */
final class GallopingSearch {
    private GallopingSearch() {}

    /**
     * The highest number for which {@code exists} holds, given that it holds for {@code start}. As
     * numbers only appear, the answer was the highest at some instant during the search.
     */
    static long highestFrom(long start, LongPredicate exists) {
        long present = start;
        for (long step = 1; ; step = doubledCapped(step)) {
            long probe = Long.MAX_VALUE - start < step ? Long.MAX_VALUE : start + step;
            if (!exists.test(probe)) {
                return bisect(present, probe, exists);
            }
            if (probe == Long.MAX_VALUE) {
                return probe;
            }
            present = probe;
        }
    }

    /** The highest present number in [present, absent), given that present exists and absent did not. */
    private static long bisect(long present, long absent, LongPredicate exists) {
        while (absent - present > 1) {
            long middle = present + (absent - present) / 2;
            if (exists.test(middle)) {
                present = middle;
            } else {
                absent = middle;
            }
        }
        return present;
    }

    private static long doubledCapped(long step) {
        return step > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : step * 2;
    }
}
