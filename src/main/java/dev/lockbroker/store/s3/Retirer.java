package dev.lockbroker.store.s3;

import dev.lockbroker.core.Clock;
import dev.lockbroker.store.s3.Epochs.Entry;
import dev.lockbroker.store.s3.Epochs.Life;
import dev.lockbroker.store.s3.Namespaces.Generation;
import dev.lockbroker.store.s3.Namespaces.Retirable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires idle namespaces of the S3 store (README, "Bounded growth"), so that namespaces used once
 * leave nothing but one marker per round in the bucket. A round: every life this broker knows
 * whose newest record stood for the idle time and longer than its leases can be believed gets a
 * retirement seal after that record, naming the next epoch; then the marker of that epoch lists
 * those whose seal this broker won; a delete delay later their objects are deleted. Also keeps
 * the epochs fresh, so that operations skip the marker check ({@link Epochs#confirms}).
 *
 * <p>Bounded: one thread; at most {@link #MAX_PER_ROUND} namespaces a round, a round every quarter
 * of the retirement time; per retired namespace one create-only PUT, and its keys deleted 1,000 per
 * DeleteObjects (one LIST first only for a namespace that was compacted). Failures are logged and
 * left for the next round.
 */
final class Retirer implements AutoCloseable {
    static final int MAX_PER_ROUND = 1_000;
    /** Records of generation 0 deleted by name; a longer one is listed. */
    private static final int MAX_NAMED = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(Retirer.class);

    /** A life sealed for retirement in this round. */
    private record Retiring(String ns, String space, Generation generation, long sealSeq) {}

    private final ObjectStore objects;
    private final RecordObjects records;
    private final LogKeys keys;
    private final Generations generations;
    private final Namespaces namespaces;
    private final Epochs epochs;
    private final CompactionSettings settings;
    private final Clock clock;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lockbroker-s3-retirer");
        thread.setDaemon(true);
        return thread;
    });

    Retirer(
            ObjectStore objects,
            LogKeys keys,
            Generations generations,
            Namespaces namespaces,
            Epochs epochs,
            CompactionSettings settings,
            Clock clock) {
        this.objects = objects;
        this.records = new RecordObjects(objects);
        this.keys = keys;
        this.generations = generations;
        this.namespaces = namespaces;
        this.epochs = epochs;
        this.settings = settings;
        this.clock = clock;
        if (settings.retireChecks()) {
            long refreshMillis = Math.max(20, settings.freshMillis() / 2);
            var unused = timer.scheduleWithFixedDelay(
                    () -> guarded("refresh", epochs::refresh), 0, refreshMillis, TimeUnit.MILLISECONDS);
        }
        if (settings.compacts()) {
            long roundMillis = Math.max(100, settings.retireAfter().toMillis() / 4);
            var unused = timer.scheduleWithFixedDelay(
                    () -> guarded("round", this::roundLater), roundMillis, roundMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Retires {@code ns} now on the calling thread, whatever its idle time and leases, waits the
     * delete delay and deletes its old life; the objects deleted (0 when nothing was retired).
     */
    int retireNow(String ns) {
        List<Retiring> retired = round(ns::equals, true);
        if (retired.isEmpty()) {
            return 0;
        }
        long deadline = clock.nanoTime() + settings.deleteDelay().toNanos();
        for (long left; (left = deadline - clock.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        return delete(retired);
    }

    /** Whether no deletion is waiting. */
    boolean isIdle() {
        return pending.get() == 0;
    }

    private void roundLater() {
        List<Retiring> retired = round(ns -> true, false);
        if (retired.isEmpty()) {
            return;
        }
        pending.incrementAndGet();
        try {
            var unused = timer.schedule(
                    () -> {
                        try {
                            guarded("deletion", () -> delete(retired));
                        } finally {
                            pending.decrementAndGet();
                        }
                    },
                    settings.deleteDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet(); // closing: the old lives stay until an operator removes them
        }
    }

    /** Seals what is retirable, then proposes the marker; the lives the marker retired. */
    private List<Retiring> round(Predicate<String> which, boolean force) {
        epochs.refresh();
        long epoch = epochs.known() + 1;
        long nowNanos = clock.nanoTime();
        long idleNanos = settings.retireAfter().toNanos();
        List<Retiring> sealed = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Namespaces.State> e : namespaces.snapshot()) {
            String space = e.getKey();
            String ns = Life.namespaceOf(space);
            if (sealed.size() >= MAX_PER_ROUND
                    || !which.test(ns)
                    || !space.equals(epochs.life(ns).space(ns))) {
                continue;
            }
            Retirable r = e.getValue().retirable(nowNanos, idleNanos, force);
            long sealSeq = r == null ? 0 : r.newestSeq() + 1;
            if (r != null
                    && records.append(
                            keys.record(space, r.generation().number(), sealSeq), Generations.retirementSeal(epoch))) {
                sealed.add(new Retiring(ns, space, r.generation(), sealSeq));
                entries.add(new Entry(ns, sealSeq, r.lastToken()));
            }
        }
        if (sealed.isEmpty()) {
            return List.of();
        }
        epochs.propose(epoch, entries);
        List<Retiring> retired = new ArrayList<>();
        for (Retiring r : sealed) {
            if (epochs.life(r.ns()).epoch() == epoch) {
                retired.add(r);
            } else { // another broker's marker won: our seal is an ordinary one, finished as such
                Namespaces.State state = namespaces.remember(r.space(), r.generation(), clock.nanoTime());
                guarded(
                        "finishing a seal",
                        () -> generations.newest(
                                r.space(), state, r.generation().number(), true));
            }
        }
        LOG.debug("epoch {} retired {} of {} sealed namespaces", epoch, retired.size(), sealed.size());
        return retired;
    }

    /** Deletes every object of the retired lives (never a later life's); the count. */
    private int delete(List<Retiring> retired) {
        List<String> doomed = new ArrayList<>();
        for (Retiring r : retired) {
            Generation g = r.generation();
            if (g.number() == 0 && r.sealSeq() - g.firstSeq() <= MAX_NAMED) {
                // Our seal won in generation 0, so it was never sealed: its records are all there is.
                for (long seq = g.firstSeq() + 1; seq <= r.sealSeq(); seq++) {
                    doomed.add(keys.record(r.space(), 0, seq));
                }
            } else {
                String laterLives = keys.generationPrefix(r.ns(), 0) + "L";
                boolean first = r.space().equals(r.ns());
                objects.keysUnder(keys.generationPrefix(r.space(), 0), false, Compactor.MAX_DELETES).stream()
                        .filter(k -> !first || !k.startsWith(laterLives))
                        .forEach(doomed::add);
            }
            namespaces.forget(r.space());
        }
        objects.deleteAll(doomed);
        return doomed.size();
    }

    private void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("retirement {} failed, left for the next round: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
