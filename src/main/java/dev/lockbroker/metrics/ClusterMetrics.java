package dev.lockbroker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of a broker in a group: {@code lockbroker_ownership_changes_total} {change = gained |
 * lost} and {@code lockbroker_cluster_requests_total} {outcome = redirected | fenced}.
 * Thread-safe: counters are.
 */
public final class ClusterMetrics {
    public static final String OWNERSHIP_CHANGES_TOTAL = "lockbroker.ownership.changes";
    public static final String CLUSTER_REQUESTS_TOTAL = "lockbroker.cluster.requests";

    private final Counter gained;
    private final Counter lost;
    private final Counter redirected;
    private final Counter fenced;

    public ClusterMetrics(MeterRegistry registry) {
        this.gained = change(registry, "gained");
        this.lost = change(registry, "lost");
        this.redirected = request(registry, "redirected");
        this.fenced = request(registry, "fenced");
    }

    public void ownershipGained() {
        gained.increment();
    }

    public void ownershipLost() {
        lost.increment();
    }

    /** A request answered 307 to the owner, or refused 503 because this broker may not answer it. */
    public void request(String outcome) {
        (outcome.equals("redirected") ? redirected : fenced).increment();
    }

    private static Counter change(MeterRegistry registry, String change) {
        return Counter.builder(OWNERSHIP_CHANGES_TOTAL)
                .description("Partitions of namespaces this broker gained or lost")
                .tag("change", change)
                .register(registry);
    }

    private static Counter request(MeterRegistry registry, String outcome) {
        return Counter.builder(CLUSTER_REQUESTS_TOTAL)
                .description("Requests redirected to the owner or refused while fenced")
                .tag("outcome", outcome)
                .register(registry);
    }
}
