package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.store.s3.Namespaces.Generation;
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
 * Background compaction of this broker's namespaces: deletes a generation a delete delay after
 * it was sealed (by the append that reached {@code everyRecords}, see {@link S3LeaseLog}), and seals
 * namespaces idle with at least {@code idleRecords}. Any broker may compact
 * any namespace; racing compactors create the same objects or lose, and deletions repeat harmlessly.
 *
 * <p>Bounded: one thread; at most {@link #MAX_PENDING} namespaces under way; each compaction costs
 * the seal (a GET, a few HEADs, three create-only PUTs) and one LIST and one DeleteObjects per 1,000
 * objects, at most {@link #MAX_DELETES}; the idle sweep looks at every known namespace and starts at
 * most {@link #IDLE_PER_SWEEP}. Failures are logged and left for the next trigger (records left
 * behind by a failed deletion stay until a lifecycle rule or an operator removes them).
 */
final class Compactor implements AutoCloseable {
    static final int MAX_PENDING = 1_024;
    static final int MAX_DELETES = 20_000;
    static final int IDLE_PER_SWEEP = 64;
    /** Seal attempts per compaction: each is lost only to a writer that won the number meanwhile. */
    static final int SEAL_ATTEMPTS = 8;

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
            var unused = timer.scheduleWithFixedDelay(this::sweepIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for generation {@code number} of {@code ns} to be sealed; dropped when already asked or full. */
    void request(String ns, long number) {
        String job = ns + "/" + number;
        if (!settings.compacts() || pending.size() >= MAX_PENDING || !pending.add(job)) {
            return;
        }
        try {
            timer.execute(() -> {
                if (guarded(job, () -> sealed(ns, number))) {
                    var unused = timer.schedule(
                            () -> guarded(job, () -> deleted(ns, number)),
                            settings.deleteDelay().toMillis(),
                            TimeUnit.MILLISECONDS);
                } else {
                    pending.remove(job);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(job); // closing
        }
    }

    /** Deletes sealed generation {@code number} of {@code ns} a delete delay from now. */
    void deleteLater(String ns, long number) {
        String job = ns + "/" + number;
        if (!pending.add(job)) {
            return;
        }
        try {
            var unused = timer.schedule(
                    () -> guarded(job, () -> deleted(ns, number)),
                    settings.deleteDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(job); // closing
        }
    }

    /**
     * Seals the namespace's current generation now, on the calling thread, waits the delete delay and
     * deletes it. Returns the objects deleted.
     */
    int compactNow(String ns) {
        long number = namespaces.find(ns, clock.nanoTime()).generation().number();
        if (!sealed(ns, number)) {
            return 0;
        }
        long deadline = clock.nanoTime() + settings.deleteDelay().toNanos();
        for (long left; (left = deadline - clock.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        return generations.deleteSealed(ns, number, MAX_DELETES);
    }

    /** Whether no compaction is under way or waiting to delete. */
    boolean isIdle() {
        return pending.isEmpty();
    }

    private boolean sealed(String ns, long number) {
        State state = namespaces.find(ns, clock.nanoTime());
        Generation g = state == null ? null : state.generation();
        return g != null && g.number() == number && generations.seal(ns, g, SEAL_ATTEMPTS);
    }

    private boolean deleted(String ns, long number) {
        int count = generations.deleteSealed(ns, number, MAX_DELETES);
        LOG.debug("deleted sealed generation {} of {}: {} objects", number, ns, count);
        pending.remove(ns + "/" + number);
        return true;
    }

    private void sweepIdle() {
        long nowNanos = clock.nanoTime();
        long idleNanos = settings.idleAfter().toNanos();
        int started = 0;
        for (Map.Entry<String, State> e : namespaces.snapshot()) {
            State state = e.getValue();
            Generation generation = state.generation();
            if (started < IDLE_PER_SWEEP
                    && nowNanos - state.lastAppendNanos >= idleNanos
                    && state.newestSeq - generation.firstSeq() >= settings.idleRecords()) {
                request(e.getKey(), generation.number());
                started++;
            }
        }
    }

    /** Runs a step; a failure is logged, ends the job and counts as false. */
    private boolean guarded(String job, java.util.function.BooleanSupplier step) {
        try {
            return step.getAsBoolean();
        } catch (RuntimeException e) {
            pending.remove(job);
            LOG.warn("compaction of {} failed, left for the next trigger: {}", job, e.getMessage());
            return false;
        }
    }

    /** Stops: a sealed generation not yet deleted stays until a later compaction or a lifecycle rule. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
