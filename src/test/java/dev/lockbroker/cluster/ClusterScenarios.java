package dev.lockbroker.cluster;

import java.time.Duration;

/** The faults the checker injects, each timed right after a long job's grant through the broker hit. */
final class ClusterScenarios {
    private ClusterScenarios() {}

    /** Cuts the namespace's owner (legacy: the broker of a fresh holder) off from the store for {@code length}. */
    static int partition(BrokerGroup group, BeliefClients clients, String namespace, Duration length)
            throws InterruptedException {
        int target = target(group, clients, namespace);
        group.relay(target).blackhole(true);
        try {
            Thread.sleep(length.toMillis());
        } finally {
            group.relay(target).blackhole(false);
        }
        return target;
    }

    /** Freezes the owner (SIGSTOP) for {@code length}, past its ownership TTL, then thaws it. */
    static int zombie(BrokerGroup group, BeliefClients clients, String namespace, Duration length)
            throws InterruptedException {
        int target = target(group, clients, namespace);
        group.broker(target).freeze();
        try {
            Thread.sleep(length.toMillis());
        } finally {
            group.broker(target).thaw();
        }
        return target;
    }

    /** Waits for a fresh long grant; hits the owner in a group, else the broker that granted it. */
    private static int target(BrokerGroup group, BeliefClients clients, String namespace) throws InterruptedException {
        int via = clients.brokerOfAFreshLongHolder(Duration.ofSeconds(30)).orElse(0);
        return group.ownerOf(namespace, 0).orElse(via);
    }
}
