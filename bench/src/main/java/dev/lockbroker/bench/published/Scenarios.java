package dev.lockbroker.bench.published;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/** The scenarios, each bounded in count and in time; every figure is taken by the caller's clock. */
final class Scenarios {
    private static final long TTL_MILLIS = 30_000;
    private static final Duration JOIN_SLACK = Duration.ofSeconds(20);

    private Scenarios() {}

    /** Sequential create-only PUTs of fresh keys on S3Proxy: the floor of one durable write. */
    static long[] rawPuts(String endpoint, int count) {
        try (S3Client s3 = BenchS3.client(java.net.URI.create(endpoint))) {
            long[] nanos = new long[count];
            for (int i = -count / 4; i < count; i++) { // the first quarter warms up, unrecorded
                long start = System.nanoTime();
                if (!BenchS3.createIfAbsent(s3, "baseline/" + System.nanoTime() + "-" + i, new byte[200])) {
                    throw new IllegalStateException("a fresh key already existed");
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            return nanos;
        }
    }

    /** Result of {@link #uncontended}: cycle latencies and the servers' CPU over the measured cycles. */
    record Uncontended(long[] cycleNanos, long[] cpuMillis) {}

    /** One worker, acquire then release at once, {@code count} times after a quarter as warm-up. */
    static Uncontended uncontended(SystemSpec spec, int count, Duration bound) throws Exception {
        try (LockSystem system = spec.open(TTL_MILLIS)) {
            LockSystem.Locker locker = system.locker(0);
            long stopAt = System.nanoTime() + bound.toNanos();
            cycles(locker, count / 4, stopAt);
            long[] before = spec.serverCpuMillis();
            long[] nanos = cycles(locker, count, stopAt);
            return new Uncontended(nanos, minus(spec.serverCpuMillis(), before));
        }
    }

    /** Uncontended cycles for half of {@code time}, then one key with 16 clients for the other half; nothing recorded. */
    static void warmUp(SystemSpec spec, Duration time, long holdMillis) throws Exception {
        try (LockSystem system = spec.open(TTL_MILLIS)) {
            LockSystem.Locker locker = system.locker(0);
            long stopAt = System.nanoTime() + time.toNanos() / 2;
            while (System.nanoTime() - stopAt < 0) {
                cycles(locker, 100, stopAt);
            }
        }
        // Keys of its own: a lock call the warm-up gave up on may still hold its key for a lease's TTL
        // (etcd: a cancelled call granted after its client closed), and must not block a measured key.
        contended(spec, "warm-up-", 1, 16, holdMillis, time.dividedBy(2));
    }

    private static long[] cycles(LockSystem.Locker locker, int count, long stopAt) throws Exception {
        long[] nanos = new long[count];
        int done = 0;
        for (; done < count && System.nanoTime() - stopAt < 0; done++) {
            long start = System.nanoTime();
            if (!locker.acquire("uncontended", System.nanoTime() + TimeUnit.SECONDS.toNanos(10))) {
                throw new IllegalStateException("an uncontended lock was not granted in 10 s");
            }
            locker.release();
            nanos[done] = System.nanoTime() - start;
        }
        return java.util.Arrays.copyOf(nanos, done);
    }

    /** Result of {@link #contended}. */
    record Contended(List<Attempt> attempts, double seconds, long[] cpuMillis, long storeRequests) {
        long grants() {
            return attempts.stream().filter(Attempt::wasGranted).count();
        }
    }

    /**
     * {@code clientsPerKey} workers on each of {@code keys} keys, each on its own connection when
     * there is one key, and sharing {@code clientsPerKey} connections otherwise; each loops
     * acquire, hold {@code holdMillis}, release, for {@code duration}.
     */
    static Contended contended(SystemSpec spec, int keys, int clientsPerKey, long holdMillis, Duration duration)
            throws Exception {
        return contended(spec, "k", keys, clientsPerKey, holdMillis, duration);
    }

    /** {@link #contended} on keys named {@code keyPrefix} + a number. */
    private static Contended contended(
            SystemSpec spec, String keyPrefix, int keys, int clientsPerKey, long holdMillis, Duration duration)
            throws Exception {
        try (LockSystem system = spec.open(TTL_MILLIS)) {
            List<LockSystem.Locker> lockers = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                for (int c = 0; c < clientsPerKey; c++) {
                    lockers.add(system.locker(c));
                }
            }
            ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
            AtomicReference<Exception> failure = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            AtomicLong endAt = new AtomicLong();
            for (int i = 0; i < lockers.size(); i++) {
                String key = keyPrefix + String.format("%03d", i / clientsPerKey);
                LockSystem.Locker locker = lockers.get(i);
                workers.add(Thread.ofPlatform().name("worker-" + i).start(() -> {
                    try {
                        go.await();
                        loop(locker, key, holdMillis, endAt.get(), attempts);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            long requestsBefore = spec.storeRequests();
            long[] before = spec.serverCpuMillis();
            long start = System.nanoTime();
            endAt.set(start + duration.toNanos());
            go.countDown();
            joinAll(workers, endAt.get() + JOIN_SLACK.toNanos());
            long[] cpu = minus(spec.serverCpuMillis(), before);
            double seconds = (System.nanoTime() - start) / 1e9;
            long requestsAfter = spec.storeRequests();
            long requests = requestsBefore < 0 || requestsAfter < 0 ? -1 : requestsAfter - requestsBefore;
            if (failure.get() != null) {
                throw new IllegalStateException(spec.name() + " failed under load", failure.get());
            }
            return new Contended(new ArrayList<>(attempts), seconds, cpu, requests);
        }
    }

    private static void loop(
            LockSystem.Locker locker, String key, long holdMillis, long endAt, ConcurrentLinkedQueue<Attempt> out)
            throws Exception {
        while (System.nanoTime() - endAt < 0) {
            long requested = System.nanoTime();
            if (!locker.acquire(key, endAt)) {
                out.add(new Attempt(key, requested, Attempt.NEVER, 0, 0));
                return;
            }
            long granted = System.nanoTime();
            if (granted - endAt >= 0) { // granted after the run: not counted, given back
                locker.release();
                out.add(new Attempt(key, requested, Attempt.NEVER, 0, 0));
                return;
            }
            Thread.sleep(holdMillis);
            long releaseSent = System.nanoTime();
            locker.release();
            out.add(new Attempt(key, requested, granted, releaseSent, System.nanoTime()));
        }
    }

    /** Result of {@link #scene}: each writer's wait in ms, or -1 for one that did not make it. */
    record Scene(long[] waitMillis) {
        long madeIt() {
            return java.util.Arrays.stream(waitMillis).filter(w -> w >= 0).count();
        }
    }

    /** {@code writers} start together (10 ms apart, in order), each holds {@code holdMillis} if it gets the lock within {@code boundMillis}. */
    static Scene scene(SystemSpec spec, int writers, long holdMillis, long boundMillis) throws Exception {
        try (LockSystem system = spec.open(TTL_MILLIS)) {
            long[] waits = new long[writers];
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<LockSystem.Locker> lockers = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                lockers.add(system.locker(w));
            }
            long t0 = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                int me = w;
                long startAt = t0 + TimeUnit.MILLISECONDS.toNanos(10L * w);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(Math.max(0, (startAt - System.nanoTime()) / 1_000_000));
                        long requested = System.nanoTime();
                        if (lockers.get(me).acquire("scene", requested + TimeUnit.MILLISECONDS.toNanos(boundMillis))) {
                            waits[me] = (System.nanoTime() - requested) / 1_000_000;
                            Thread.sleep(holdMillis);
                            lockers.get(me).release();
                        } else {
                            waits[me] = -1;
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            joinAll(threads, t0 + TimeUnit.MILLISECONDS.toNanos(boundMillis + holdMillis) + JOIN_SLACK.toNanos());
            if (failure.get() != null) {
                throw new IllegalStateException(spec.name() + " failed in the scene", failure.get());
            }
            return new Scene(waits);
        }
    }

    /**
     * Starts a holder process that takes {@code key} with {@code ttlMillis}; holders of every
     * system start side by side, so their JVMs' start-up overlaps.
     */
    static Proc startHolder(SystemSpec spec, long ttlMillis, String key, Path work) throws IOException {
        List<String> command = Servers.javaCommand(
                "-cp",
                System.getProperty("java.class.path"),
                HolderMain.class.getName(),
                Long.toString(ttlMillis),
                key,
                goFile(work, key).toString());
        command.addAll(spec.asArgs());
        return Proc.start("holder-" + key, command, work, java.util.Map.of());
    }

    /**
     * Once {@code holder} holds {@code key}, a waiter queues behind it and the holder is SIGKILLed:
     * milliseconds from the kill to the waiter's grant (negative: the waiter took the lock from the
     * live holder).
     */
    static long orphanReclaim(SystemSpec spec, long ttlMillis, Proc holder, String key, Path work) throws Exception {
        try (LockSystem system = spec.open(ttlMillis)) {
            java.nio.file.Files.createFile(goFile(work, key));
            holder.awaitLog(Pattern.compile(HolderMain.HELD), Duration.ofSeconds(90));
            LockSystem.Locker waiter = system.locker(0);
            AtomicLong grantedAt = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean granted = new java.util.concurrent.atomic.AtomicBoolean();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ttlMillis * 4 + 10_000);
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    if (waiter.acquire(key, deadline)) {
                        grantedAt.set(System.nanoTime());
                        granted.set(true);
                        waiter.release();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            Thread.sleep(500); // the waiter is queued (or polling) behind the holder
            long killedAt = System.nanoTime();
            holder.kill();
            joinAll(List.of(t), deadline + JOIN_SLACK.toNanos());
            if (!granted.get()) {
                throw new IllegalStateException(spec.name() + ": no grant after the holder was killed");
            }
            return (grantedAt.get() - killedAt) / 1_000_000;
        } finally {
            holder.close();
        }
    }

    private static Path goFile(Path work, String key) {
        return work.resolve(key + ".go");
    }

    private static void joinAll(List<Thread> threads, long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                threads.forEach(Thread::interrupt);
                throw new IllegalStateException("workers still running past their bound");
            }
        }
    }

    private static long[] minus(long[] after, long[] before) {
        long[] d = new long[after.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
        }
        return d;
    }
}
