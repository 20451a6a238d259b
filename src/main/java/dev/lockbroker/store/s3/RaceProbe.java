package dev.lockbroker.store.s3;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    private RaceProbe() {}

    /** Throws {@link IllegalStateException} unless every round has one winner; the probe keys are deleted. */
    static void prove(ObjectStore objects, String keyPrefix) {
        try (ExecutorService racers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = keyPrefix + round;
                int winners = race(objects, racers, key);
                objects.deleteProbe(key);
                if (winners != 1) {
                    throw new IllegalStateException("S3 store behind bucket " + objects.bucket() + " let " + winners
                            + " of " + RACERS + " racing create-only PUTs (If-None-Match: *) of one key succeed;"
                            + " lockbroker needs each key created exactly once and cannot run on it");
                }
            }
        }
    }

    /**
     * How many racers won {@code key}: those answered 200, plus the one whose body the key holds if it
     * was answered 412 (the SDK retried a PUT that had landed, as {@link S3LeaseLog#append} allows for).
     * Bodies differ per racer, so at most one racer owns the stored content.
     */
    private static int race(ObjectStore objects, ExecutorService racers, String key) {
        CountDownLatch start = new CountDownLatch(1);
        List<byte[]> bodies = new ArrayList<>();
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            byte[] body = ("{\"probe\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            bodies.add(body);
            attempts.add(racers.submit(() -> {
                start.await();
                return objects.createIfAbsent(key, body);
            }));
        }
        start.countDown();
        boolean[] answered200 = new boolean[RACERS];
        int winners = 0;
        for (int i = 0; i < RACERS; i++) {
            answered200[i] = outcome(attempts.get(i));
            winners += answered200[i] ? 1 : 0;
        }
        byte[] stored = objects.read(key).orElse(new byte[0]);
        for (int i = 0; i < RACERS; i++) {
            if (!answered200[i] && Arrays.equals(bodies.get(i), stored)) {
                winners++;
            }
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
