package dev.lockbroker.bench.published;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Percentiles of nanosecond samples in milliseconds, and the per-key measures of a contended run. */
final class Stats {
    /** A grant while a request sent this much earlier on the same key still waited is out of order. */
    static final long FIFO_TOLERANCE_NANOS = 1_000_000;

    private Stats() {}

    static double percentileMillis(long[] nanos, double p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Release answered → next grant on the same key; negative (granted first) counts as 0. */
    static long[] handoffs(List<Attempt> attempts) {
        List<Long> out = new ArrayList<>();
        for (List<Attempt> byKey : grantedByKey(attempts).values()) {
            for (int i = 1; i < byKey.size(); i++) {
                out.add(Math.max(0, byKey.get(i).granted() - byKey.get(i - 1).releaseAnswered()));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Grants observed before the previous holder of the key had even sent its release. */
    static int overlaps(List<Attempt> attempts) {
        int n = 0;
        for (List<Attempt> byKey : grantedByKey(attempts).values()) {
            for (int i = 1; i < byKey.size(); i++) {
                if (byKey.get(i).granted() < byKey.get(i - 1).releaseSent()) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Grants made while a request on the same key, sent at least {@link #FIFO_TOLERANCE_NANOS}
     * earlier, was still waiting (granted later or never).
     */
    static int fifoViolations(List<Attempt> attempts) {
        int violations = 0;
        Map<String, List<Attempt>> byKey = attempts.stream().collect(Collectors.groupingBy(Attempt::key));
        for (List<Attempt> list : byKey.values()) {
            list.sort(Comparator.comparingLong(Attempt::requested));
            long[] requested = list.stream().mapToLong(Attempt::requested).toArray();
            long[] latestGrantUpTo = new long[list.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < list.size(); i++) {
                max = Math.max(max, list.get(i).granted());
                latestGrantUpTo[i] = max;
            }
            for (Attempt a : list) {
                if (!a.wasGranted()) {
                    continue;
                }
                int earlier = lastIndexBefore(requested, a.requested() - FIFO_TOLERANCE_NANOS);
                if (earlier >= 0 && latestGrantUpTo[earlier] > a.granted()) {
                    violations++;
                }
            }
        }
        return violations;
    }

    private static int lastIndexBefore(long[] sorted, long bound) {
        int i = Arrays.binarySearch(sorted, bound);
        int insertion = i >= 0 ? i : -i - 1;
        while (insertion > 0 && sorted[insertion - 1] >= bound) {
            insertion--;
        }
        return insertion - 1;
    }

    private static Map<String, List<Attempt>> grantedByKey(List<Attempt> attempts) {
        Map<String, List<Attempt>> byKey =
                attempts.stream().filter(Attempt::wasGranted).collect(Collectors.groupingBy(Attempt::key));
        byKey.values().forEach(l -> l.sort(Comparator.comparingLong(Attempt::granted)));
        return byKey;
    }
}
