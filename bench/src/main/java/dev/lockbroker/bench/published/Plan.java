package dev.lockbroker.bench.published;

import java.time.Duration;
import java.util.List;

/** How much of each scenario a run does: the full benchmark, or the smoke run CI makes. */
record Plan(
        boolean smoke,
        int rawPuts,
        int uncontendedCycles,
        List<Integer> clientCounts,
        Duration contendedRun,
        long holdMillis,
        int manyKeys,
        int clientsPerManyKey,
        int sceneWriters,
        long sceneHoldMillis,
        long sceneBoundMillis,
        long orphanTtlMillis) {

    static final Duration UNCONTENDED_BOUND = Duration.ofSeconds(20);

    static Plan fullRun() {
        return new Plan(false, 1000, 300, List.of(1, 4, 16, 64), Duration.ofSeconds(6), 5, 200, 4, 4, 5000, 6000, 3000);
    }

    static Plan smokeRun() {
        return new Plan(true, 40, 20, List.of(16), Duration.ofMillis(500), 5, 10, 4, 2, 300, 1000, 2000);
    }
}
