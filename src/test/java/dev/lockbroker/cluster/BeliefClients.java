package dev.lockbroker.cluster;

import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockClientException;
import dev.lockbroker.client.LockRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients of a {@link BrokerGroup} contending for one exclusive key through the Java client library,
 * each talking to one broker (client i to broker i mod n), and recording what they believed ({@link
 * Beliefs.Belief}). Even clients run long jobs (8–11 s, longer than a lease's grace after a restart),
 * odd ones short jobs (0.3–2 s). Every loop is bounded by the run's end.
 */
final class BeliefClients implements AutoCloseable {
    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private final BrokerGroup group;
    private final String namespace;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Beliefs.Belief> beliefs = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicReference<long[]> lastLongGrant =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    private volatile long endNanos;

    BeliefClients(BrokerGroup group, String namespace) {
        this.group = group;
        this.namespace = namespace;
    }

    /** Starts {@code count} clients that run until {@link #stop}, or at most {@code maxRun}. */
    BeliefClients start(int count, Duration maxRun) {
        endNanos = System.nanoTime() + maxRun.toNanos();
        for (int c = 0; c < count; c++) {
            int client = c;
            running.add(threads.submit(() -> run(client)));
        }
        return this;
    }

    /**
     * The broker a long job was granted through within the last 300 ms, waiting at most {@code
     * timeout}: the moment a fault hurts most, with a holder that goes on heartbeating.
     */
    Optional<Integer> brokerOfAFreshLongHolder(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - until < 0) {
            long[] grant = lastLongGrant.get();
            if (grant != null && System.nanoTime() - grant[1] < TimeUnit.MILLISECONDS.toNanos(300)) {
                return Optional.of((int) grant[0]);
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    /** Ends the run: holders release, waiters are interrupted (and leave their queue). */
    List<Beliefs.Belief> stop() throws InterruptedException {
        endNanos = System.nanoTime();
        threads.shutdown();
        if (!threads.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            threads.shutdownNow();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
        return List.copyOf(beliefs);
    }

    int failures() {
        return failures.get();
    }

    private void run(int client) {
        int broker = client % group.size();
        LockClient lockClient = LockClient.create(group.url(broker), Optional.empty());
        while (System.nanoTime() - endNanos < 0) {
            try {
                holdOnce(lockClient, client, broker);
            } catch (LockClientException e) {
                failures.incrementAndGet(); // timed out, unavailable: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void holdOnce(LockClient lockClient, int client, int broker) throws InterruptedException {
        Lease lease = lockClient.acquire(LockRequest.exclusive(namespace, "k", LEASE_TTL), Duration.ofSeconds(8));
        long granted = System.nanoTime();
        boolean longJob = client % 2 == 0;
        if (longJob) {
            lastLongGrant.set(new long[] {broker, granted});
        }
        try {
            long holdMillis = longJob
                    ? ThreadLocalRandom.current().nextLong(8_000, 11_000)
                    : ThreadLocalRandom.current().nextLong(300, 2_000);
            long holdUntil = granted + TimeUnit.MILLISECONDS.toNanos(holdMillis);
            while (System.nanoTime() - holdUntil < 0 && System.nanoTime() - endNanos < 0 && lease.isValid()) {
                Thread.sleep(20);
            }
        } finally {
            long releaseSent = System.nanoTime();
            long end = Math.min(releaseSent, lease.validUntilNanos()); // same clock, nowhere near a wrap
            beliefs.add(new Beliefs.Belief(client, broker, lease.fencingToken(), granted, end));
            try {
                lease.close();
            } catch (RuntimeException e) {
                // lost or unreachable: the broker lets it expire
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!threads.isShutdown()) {
            stop();
        }
    }
}
