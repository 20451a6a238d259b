package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.store.s3.Namespaces.State;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background compaction of this broker's namespaces: a generation is sealed once it holds {@code
 * everyRecords} records (asked for by the append that reached the count) or once its namespace is
 * idle with at least {@code idleRecords}. Any broker may compact any namespace; racing compactors
 * create the same objects or lose, and deletions repeat harmlessly.
 *
 * <p>Bounded: one thread; at most {@link #MAX_PENDING} namespaces waiting; each compaction costs two
 * create-only PUTs, the copy (a GET and O(log n) HEADs), one LIST and one DeleteObjects per 1,000
 * objects, at most {@link #MAX_DELETES} objects; the idle sweep looks at every known namespace and
 * starts at most {@link #IDLE_PER_SWEEP}. Failures are logged and left for the next trigger.
 */
final class Compactor implements AutoCloseable {
    static final int MAX_PENDING = 1_024;
    static final int MAX_DELETES = 20_000;
    static final int IDLE_PER_SWEEP = 64;

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Generations generations;
    private final Namespaces namespaces;
    private final CompactionSettings settings;
    private final Clock clock;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lockbroker-s3-compactor");
        thread.setDaemon(true);
        return thread;
    });

    Compactor(Generations generations, Namespaces namespaces, CompactionSettings settings, Clock clock) {
        this.generations = generations;
        this.namespaces = namespaces;
        this.settings = settings;
        this.clock = clock;
        if (settings.compacts()) {
            long sweepMillis = Math.max(100, settings.idleAfter().toMillis() / 4);
            timer.scheduleWithFixedDelay(this::sweepIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for generation {@code number} of {@code ns} to be sealed; dropped when already asked or full. */
    void request(String ns, long number) {
        String job = ns + "/" + number;
        if (!settings.compacts() || pending.size() >= MAX_PENDING || !pending.add(job)) {
            return;
        }
        submit(job, () -> {
            generations.announce(ns, number + 1);
            // The seal delay runs from the announcement's answer, after it took effect.
            timer.schedule(
                    () -> run(job, () -> seal(ns, number + 1)),
                    settings.sealDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Seals the namespace's current generation now, on the calling thread: announces, waits the seal
     * delay, seals. Returns the objects deleted.
     */
    int compactNow(String ns, long number) {
        generations.announce(ns, number + 1);
        long deadline = clock.nanoTime() + settings.sealDelay().toNanos();
        for (long left; (left = deadline - clock.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        return generations.seal(ns, number + 1, MAX_DELETES);
    }

    /** Whether no compaction is announced or waiting. */
    boolean isIdle() {
        return pending.isEmpty();
    }

    private void seal(String ns, long number) {
        int deleted = generations.seal(ns, number, MAX_DELETES);
        LOG.debug("sealed generation {} of {}: {} objects deleted", number - 1, ns, deleted);
    }

    private void sweepIdle() {
        long nowNanos = clock.nanoTime();
        long idleNanos = settings.idleAfter().toNanos();
        int started = 0;
        for (Map.Entry<String, State> e : namespaces.snapshot()) {
            State state = e.getValue();
            var generation = state.generation();
            if (started < IDLE_PER_SWEEP
                    && nowNanos - state.lastAppendNanos >= idleNanos
                    && state.newestSeq - generation.firstSeq() >= settings.idleRecords()) {
                request(e.getKey(), generation.number());
                started++;
            }
        }
    }

    private void submit(String job, Runnable step) {
        try {
            timer.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    pending.remove(job);
                    LOG.warn("compaction of {} failed, left for the next trigger: {}", job, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(job); // closing
        }
    }

    private void run(String job, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("compaction of {} failed, left for the next trigger: {}", job, e.getMessage());
        } finally {
            pending.remove(job);
        }
    }

    /** Stops: an announced generation stays unsealed until a later trigger (any broker's) seals it. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
