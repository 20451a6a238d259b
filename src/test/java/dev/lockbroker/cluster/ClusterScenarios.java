package dev.lockbroker.cluster;

import dev.lockbroker.support.ForwardingS3Proxy;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The faults the checker injects, each timed right after a long job's grant through the broker hit,
 * each recorded with its recovery as a window the fairness check excuses ({@link Fairness}).
 */
final class ClusterScenarios {
    /**
     * How long after a fault that may move ownership the group may stay unfair or idle: the lapse
     * of the old ownership (TTL × 1.05 + margin at TTL 2 s), the grace a new owner gives the leases
     * it loads (1.5 × 3 s + 1 s) and 2 s of slack for loading and scheduling.
     */
    static final Duration RECOVERY = Duration.ofSeconds(10);
    /** How long after store faults that do not move ownership the key may stay idle: one lease grace and slack. */
    static final Duration STALL_RECOVERY = Duration.ofSeconds(7);

    private ClusterScenarios() {}

    /** Cuts the namespace's owner (legacy: the broker of a fresh holder) off from the store for {@code length}. */
    static int partition(BrokerGroup group, BeliefClients clients, String namespace, Duration length)
            throws InterruptedException {
        int target = target(group, clients, namespace);
        long from = System.nanoTime();
        group.relay(target).blackhole(true);
        try {
            Thread.sleep(length.toMillis());
        } finally {
            group.relay(target).blackhole(false);
            clients.disrupted(Fairness.Kind.OWNER_CHANGE, from, System.nanoTime() + RECOVERY.toNanos());
        }
        return target;
    }

    /** Freezes the owner (SIGSTOP) for {@code length}, past its ownership TTL, then thaws it. */
    static int zombie(BrokerGroup group, BeliefClients clients, String namespace, Duration length)
            throws InterruptedException {
        int target = target(group, clients, namespace);
        long from = System.nanoTime();
        group.broker(target).freeze();
        try {
            Thread.sleep(length.toMillis());
        } finally {
            group.broker(target).thaw();
            clients.disrupted(Fairness.Kind.OWNER_CHANGE, from, System.nanoTime() + RECOVERY.toNanos());
        }
        return target;
    }

    /**
     * A failover, in ms from the SIGKILL of the owner: to the first answer about the namespace from
     * the group (a status read sent to a survivor, redirects followed: another broker serves it), to
     * the first heartbeat acknowledged or grant received, and to the first grant; -1 when none came
     * in 30 s.
     */
    record Failover(long answeredMillis, long servedMillis, long grantedMillis) {}

    /**
     * SIGKILLs the owner right after a long grant, starts it again under its id {@code downtime}
     * after the kill, and meanwhile waits for the namespace to be served again (by a survivor: the
     * owner is dead) and granted again.
     */
    static Failover killAndRestart(BrokerGroup group, BeliefClients clients, String namespace, Duration downtime)
            throws InterruptedException, IOException {
        int target = target(group, clients, namespace);
        long killed = System.nanoTime();
        group.broker(target).kill();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Future<?> restarted = threads.submit(() -> {
                Thread.sleep(downtime.toMillis());
                group.restart(target);
                return null;
            });
            Duration patience = Duration.ofSeconds(30);
            java.util.concurrent.Future<Long> answered =
                    threads.submit(() -> firstAnswer(group.url((target + 1) % group.size()), namespace, killed));
            long served = millisSince(killed, clients.firstServedAfter(killed, true, patience));
            long granted = millisSince(killed, clients.firstServedAfter(killed, false, patience));
            restarted.get();
            return new Failover(answered.get(), served, granted);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the killed broker did not start again", e.getCause());
        } finally {
            clients.disrupted(Fairness.Kind.OWNER_CHANGE, killed, System.nanoTime() + RECOVERY.toNanos());
        }
    }

    /** Ms from {@code fromNanos} to the first 200 of a status read of {@code namespace} via {@code survivor}. */
    private static long firstAnswer(java.net.URI survivor, String namespace, long fromNanos)
            throws InterruptedException {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(1))
                .build()) {
            var request = java.net.http.HttpRequest.newBuilder(
                            survivor.resolve("/v1/namespaces/" + namespace + "/locks"))
                    .timeout(Duration.ofSeconds(1))
                    .build();
            for (int attempt = 0; attempt < 600; attempt++) { // 30 s at most
                try {
                    if (http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return (System.nanoTime() - fromNanos) / 1_000_000;
                    }
                } catch (IOException e) {
                    // the owner it redirected to is the dead one: not served yet
                }
                Thread.sleep(50);
            }
            return -1;
        }
    }

    private static long millisSince(long fromNanos, java.util.OptionalLong at) {
        return at.isPresent() ? (at.getAsLong() - fromNanos) / 1_000_000 : -1;
    }

    /**
     * Store faults at the owner for {@code length}: in turn, PUTs answered 500 unforwarded, PUTs that
     * reach S3 but are answered 500, and PUTs that reach S3 whose connection is closed unanswered, a
     * few every 400 ms. Recorded as a stall, or as an owner change when the namespace's owner (or
     * its ownership's start) differs afterwards. Returns whether ownership moved.
     */
    static boolean storeFaults(BrokerGroup group, BeliefClients clients, String namespace, Duration length)
            throws InterruptedException {
        int target = target(group, clients, namespace);
        int observer = (target + 1) % group.size();
        Optional<String> before = group.ownership(namespace, observer);
        ForwardingS3Proxy relay = group.relay(target);
        long from = System.nanoTime();
        for (int round = 0; System.nanoTime() - (from + length.toNanos()) < 0; round++) {
            switch (round % 3) {
                case 0 -> relay.refuseNextPuts(2, 500, "InternalError");
                case 1 -> relay.loseNextPutAnswers(2);
                default -> relay.dropNextPutAnswers(2);
            }
            Thread.sleep(400);
        }
        Thread.sleep(STALL_RECOVERY.toMillis() / 2);
        boolean moved =
                !BrokerGroup.LEGACY && (before.isEmpty() || !before.equals(group.ownership(namespace, observer)));
        long to = System.nanoTime() + (moved ? RECOVERY : STALL_RECOVERY).toNanos();
        clients.disrupted(moved ? Fairness.Kind.OWNER_CHANGE : Fairness.Kind.STALL, from, to);
        return moved;
    }

    /** Waits for a fresh long grant; hits the owner in a group, else the broker that granted it. */
    private static int target(BrokerGroup group, BeliefClients clients, String namespace) throws InterruptedException {
        int via = clients.brokerOfAFreshLongHolder(Duration.ofSeconds(30)).orElse(0);
        return group.ownerOf(namespace, 0).orElse(via);
    }
}
