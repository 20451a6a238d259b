package dev.lockbroker.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** The requests and the passing of time that the property tests generate against one namespace. */
final class QueueOps {
    private QueueOps() {}

    sealed interface Op {}

    /** {@code shard} indexes the test's shards; wait 0 is try-once. */
    record Acquire(int shard, boolean exclusive, int waitSeconds) implements Op {}

    record Release(int pick) implements Op {}

    record Heartbeat(int pick) implements Op {}

    record Cancel(int pick) implements Op {}

    record Advance(int millis) implements Op {}

    /** Any op over three shards; picks below {@code maxPick}, advances up to {@code maxAdvanceMillis}. */
    static Arbitrary<Op> any(int maxPick, int maxAdvanceMillis) {
        return Arbitraries.oneOf(
                Arbitraries.integers()
                        .between(0, 2)
                        .flatMap(s -> Arbitraries.of(true, false)
                                .flatMap(x -> Arbitraries.of(0, 3, 60).map(w -> (Op) new Acquire(s, x, w)))),
                Arbitraries.integers().between(0, maxPick).map(Release::new),
                Arbitraries.integers().between(0, maxPick).map(Heartbeat::new),
                Arbitraries.integers().between(0, maxPick).map(Cancel::new),
                Arbitraries.integers().between(1, maxAdvanceMillis).map(Advance::new));
    }
}
