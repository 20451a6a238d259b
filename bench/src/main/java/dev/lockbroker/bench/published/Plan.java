package dev.lockbroker.bench.published;

import java.time.Duration;
import java.util.List;

/**
 * How much of each scenario a run does: the full benchmark, or the smoke run CI makes. {@code warmUp}
 * is spent by each system, before its first measured scenario, half on uncontended cycles and half
 * on one key with 16 clients: the JVMs (lockbroker, ZooKeeper, the driver's clients) compile their
 * hot paths, so the figures are steady state for every system alike.
 */
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
        long orphanTtlMillis,
        Duration warmUp) {

    static final Duration UNCONTENDED_BOUND = Duration.ofSeconds(20);

    static Plan fullRun() {
        return new Plan(
                false,
                1000,
                300,
                List.of(1, 4, 16, 64),
                Duration.ofSeconds(6),
                5,
                200,
                4,
                4,
                5000,
                6000,
                3000,
                Duration.ofSeconds(20));
    }

    static Plan smokeRun() {
        return new Plan(
                true,
                40,
                20,
                List.of(16),
                Duration.ofMillis(500),
                5,
                10,
                4,
                2,
                300,
                1000,
                2000,
                Duration.ofMillis(300));
    }
}
