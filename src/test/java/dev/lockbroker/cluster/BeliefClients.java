package dev.lockbroker.cluster;

import dev.lockbroker.client.HeartbeatPolicy;
import dev.lockbroker.client.Lease;
import dev.lockbroker.client.LockClient;
import dev.lockbroker.client.LockClientException;
import dev.lockbroker.client.LockRequest;
import dev.lockbroker.client.TicketInfo;
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
 * Beliefs.Belief}) and how they waited ({@link Fairness.Wait}); the scenarios add the windows of
 * their faults ({@link Fairness.Window}). Even clients run long jobs (8–11 s, longer than a lease's grace after a restart),
 * odd ones short jobs (0.3–2 s). Every loop is bounded by the run's end.
 */
final class BeliefClients implements AutoCloseable {
    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private final BrokerGroup group;
    private final String namespace;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Beliefs.Belief> beliefs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fairness.Wait> waits = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fairness.Window> windows = new ConcurrentLinkedQueue<>();
    /**
     * When the namespace was served: {send, receipt} of each heartbeat acknowledged (its send from
     * the validity it confirmed) and {receipt, receipt} of each grant.
     */
    private final ConcurrentLinkedQueue<long[]> served = new ConcurrentLinkedQueue<>();

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

    /**
     * The first grant received after {@code sinceNanos} (with {@code orHeartbeat}, or heartbeat sent
     * after it and acknowledged), waiting at most {@code timeout}: its receipt, or empty.
     */
    java.util.OptionalLong firstServedAfter(long sinceNanos, boolean orHeartbeat, Duration timeout)
            throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - until < 0) {
            java.util.OptionalLong first = served.stream()
                    .filter(s -> orHeartbeat || s[0] == s[1])
                    .filter(s -> s[0] - sinceNanos > 0)
                    .mapToLong(s -> s[1])
                    .min();
            if (first.isPresent()) {
                return first;
            }
            Thread.sleep(10);
        }
        return java.util.OptionalLong.empty();
    }

    /** Records a fault and its recovery, which the fairness check excuses (see {@link Fairness}). */
    void disrupted(Fairness.Kind kind, long fromNanos, long toNanos) {
        windows.add(new Fairness.Window(kind, fromNanos, toNanos));
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

    /** The fairness of the run so far; call after {@link #stop}. */
    Fairness.Report fairness() {
        return Fairness.check(List.copyOf(waits), List.copyOf(beliefs), List.copyOf(windows));
    }

    int failures() {
        return failures.get();
    }

    private void run(int client) {
        int broker = client % group.size();
        LockClient lockClient = LockClient.create(group.url(broker), Optional.empty());
        while (System.nanoTime() - endNanos < 0) {
            if (!lockClient.baseUrl().equals(group.url(broker))) {
                lockClient = LockClient.create(group.url(broker), Optional.empty()); // restarted elsewhere
            }
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
        WaitRecorder wait = new WaitRecorder(client);
        Lease lease;
        try {
            lease = lockClient.acquire(
                    LockRequest.exclusive(namespace, "k", LEASE_TTL), Duration.ofSeconds(8), 30, wait::onTicket);
        } catch (LockClientException | InterruptedException e) {
            wait.ended(false);
            throw e;
        }
        long granted = wait.ended(true);
        served.add(new long[] {granted, granted});
        long validNanos = HeartbeatPolicy.forTtl(LEASE_TTL).validUntil(0);
        lease.onRenewed(validUntil -> served.add(new long[] {validUntil - validNanos, System.nanoTime()}));
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
            beliefs.add(new Beliefs.Belief(client, broker, namespace, lease.fencingToken(), granted, end));
            try {
                lease.close();
            } catch (RuntimeException e) {
                // lost or unreachable: the broker lets it expire
            }
        }
    }

    /**
     * One acquire call's waits: a ticket id not seen before starts a new stretch (the client joined
     * again, its ticket gone with an owner), which joined no earlier than the last answer of the old.
     */
    private final class WaitRecorder {
        private final int client;
        private long joinSentNanos = System.nanoTime();
        private long queuedByNanos;
        private long lastSeenNanos;
        private String ticketId;

        WaitRecorder(int client) {
            this.client = client;
        }

        void onTicket(TicketInfo ticket) {
            long now = System.nanoTime();
            if (ticketId != null && !ticketId.equals(ticket.ticketId())) {
                waits.add(new Fairness.Wait(client, namespace, joinSentNanos, queuedByNanos, lastSeenNanos, false));
                joinSentNanos = lastSeenNanos;
            }
            if (!ticket.ticketId().equals(ticketId)) {
                ticketId = ticket.ticketId();
                queuedByNanos = now;
            }
            lastSeenNanos = now;
        }

        /** Records the wait's last stretch (a grant is queued by its receipt); the time it ended. */
        long ended(boolean granted) {
            long now = System.nanoTime();
            if (granted || ticketId != null) {
                long queuedBy = ticketId != null ? queuedByNanos : now;
                waits.add(new Fairness.Wait(client, namespace, joinSentNanos, queuedBy, now, granted));
            }
            return now;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!threads.isShutdown()) {
            stop();
        }
    }
}
