package dev.lockbroker.store.s3;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The racing half of the start-up check: {@link #RACERS} create-only PUTs of one fresh key, released
 * together, for {@link #ROUNDS} rounds; the store must let exactly one win each round. A store that
 * checks for the key and then writes, holding nothing between the two, lets several through when
 * they arrive together, while a second sequential PUT still gets its 412, so the sequential probe
 * alone passes it. S3Mock 5.2.0 had exactly one winner in 55% of such rounds here (30% in issue
 * #13's runs), so it passes all {@link #ROUNDS} with odds under 1 in 10,000.
 *
 * <p>Residual risk: passing proves the store serialized these {@code RACERS × ROUNDS} attempts, not
 * every future one; a store whose window is rare (under load only, or across nodes) can pass. The
 * contract suite and the two-broker test hold the stores CI runs on to 16 writers × 20 rounds.
 */
final class RaceProbe {
    static final int RACERS = 16;
    static final int ROUNDS = 16;

    /**
     * Rounds that may end with no winner before the check gives up: a racer whose PUT landed but whose
     * answer was lost and whose retry got 412 wins without knowing it.
     */
    private static final int SPARE_ROUNDS = 2;

    private RaceProbe() {}

    /** Throws {@link IllegalStateException} unless every round has one winner; the probe keys are deleted. */
    static void prove(ObjectStore objects, String keyPrefix) {
        int proven = 0;
        try (ExecutorService racers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; proven < ROUNDS && round < ROUNDS + SPARE_ROUNDS; round++) {
                String key = keyPrefix + round;
                int winners = race(objects, racers, key);
                objects.deleteProbe(key);
                if (winners > 1) {
                    throw new IllegalStateException("S3 store behind bucket " + objects.bucket() + " let " + winners
                            + " of " + RACERS + " racing create-only PUTs (If-None-Match: *) of one key succeed;"
                            + " lockbroker needs each key created once and cannot run on it");
                }
                proven += winners;
            }
        }
        if (proven < ROUNDS) {
            throw new IllegalStateException("S3 store behind bucket " + objects.bucket()
                    + " gave no winner in racing create-only PUTs; cannot prove create-if-absent");
        }
    }

    private static int race(ObjectStore objects, ExecutorService racers, String key) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            byte[] body = ("{\"probe\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            attempts.add(racers.submit(() -> {
                start.await();
                return objects.createIfAbsent(key, body);
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> attempt : attempts) {
            winners += outcome(attempt) ? 1 : 0;
        }
        return winners;
    }

    private static boolean outcome(Future<Boolean> attempt) {
        try {
            return attempt.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the start-up race probe", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
