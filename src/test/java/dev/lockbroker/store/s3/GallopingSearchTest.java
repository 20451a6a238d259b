package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class GallopingSearchTest {

    private record Counted(LongPredicate exists, AtomicInteger probes) {
        static Counted upTo(long highest) {
            AtomicInteger probes = new AtomicInteger();
            return new Counted(
                    n -> {
                        probes.incrementAndGet();
                        return n <= highest;
                    },
                    probes);
        }
    }

    @Test
    void finds_the_highest_number_for_every_distance_up_to_a_thousand() {
        for (long start : new long[] {1, 7, 1_000_000}) {
            for (long distance = 0; distance <= 1_000; distance++) {
                Counted store = Counted.upTo(start + distance);
                assertThat(GallopingSearch.highestFrom(start, store.exists()))
                        .as("start %d distance %d", start, distance)
                        .isEqualTo(start + distance);
            }
        }
    }

    @Test
    void nothing_newer_costs_one_probe() {
        Counted store = Counted.upTo(41);
        assertThat(GallopingSearch.highestFrom(41, store.exists())).isEqualTo(41);
        assertThat(store.probes()).hasValue(1);
    }

    @Test
    void probes_grow_with_the_logarithm_of_the_distance() {
        for (long distance : new long[] {1, 10, 1_000, 1_000_000, 1_000_000_000_000L}) {
            Counted store = Counted.upTo(5 + distance);
            GallopingSearch.highestFrom(5, store.exists());
            int log2 = 64 - Long.numberOfLeadingZeros(distance);
            assertThat(store.probes().get())
                    .as("probes for distance %d", distance)
                    .isLessThanOrEqualTo(2 * log2 + 2);
        }
    }

    @Test
    void stops_at_the_largest_number_without_overflow() {
        Counted store = Counted.upTo(Long.MAX_VALUE);
        assertThat(GallopingSearch.highestFrom(Long.MAX_VALUE - 1_000, store.exists()))
                .isEqualTo(Long.MAX_VALUE);
        Counted below = Counted.upTo(Long.MAX_VALUE - 3);
        assertThat(GallopingSearch.highestFrom(Long.MAX_VALUE - 1_000, below.exists()))
                .isEqualTo(Long.MAX_VALUE - 3);
    }
}
