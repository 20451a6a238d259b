package dev.lockbroker.metrics;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The broker's meter names, tags and buckets. Each constant names the Prometheus series it becomes;
 * the unit is in the name, as Prometheus has it (timers in seconds, counters end in {@code _total}).
 */
public final class MeterNames {
    /** {@code lockbroker_lock_hold_seconds}: how long a lease was held; tags namespace, mode, outcome. */
    public static final String LOCK_HOLD_SECONDS = "lockbroker.lock.hold";
    /** {@code lockbroker_lock_wait_seconds}: how long a request queued; tags namespace, mode, outcome. */
    public static final String LOCK_WAIT_SECONDS = "lockbroker.lock.wait";
    /** {@code lockbroker_queue_depth}: requests waiting now; tag namespace. */
    public static final String QUEUE_DEPTH = "lockbroker.queue.depth";
    /** {@code lockbroker_leases_active}: leases held now; tags namespace, mode. */
    public static final String LEASES_ACTIVE = "lockbroker.leases.active";
    /** {@code lockbroker_store_request_seconds}: lease log calls; tags operation, outcome. */
    public static final String STORE_REQUEST_SECONDS = "lockbroker.store.request";
    /** {@code lockbroker_store_conflicts_total}: appends that lost the create-if-absent race. */
    public static final String STORE_CONFLICTS_TOTAL = "lockbroker.store.conflicts";
    /** S3 requests of the lease log, every attempt and background work included, by kind. */
    public static final String STORE_S3_REQUESTS = "lockbroker.store.s3.requests";
    /** {@code lockbroker_http_server_requests_seconds}: HTTP requests served; tags method, route, status. */
    public static final String HTTP_SERVER_REQUESTS_SECONDS = "lockbroker.http.server.requests";

    /** The label value shared by every namespace past the labelled limit. */
    public static final String OTHER_NAMESPACE = "_other";

    /** {@code lockbroker_limit_refusals_total}: requests refused with 429; tag limit. */
    public static final String LIMIT_REFUSALS = "lockbroker.limit.refusals";

    /** Every limit a refusal may name. */
    public static final List<String> LIMITS =
            List.of("queued_per_namespace", "queued_per_token", "tickets", "namespaces", "requests_per_token");

    /** Bucket bounds for store calls: 1 ms to 10 s. */
    static final List<Duration> STORE_BUCKETS = List.of(
            millis(1),
            millis(2.5),
            millis(5),
            millis(10),
            millis(25),
            millis(50),
            millis(100),
            millis(250),
            millis(500),
            seconds(1),
            seconds(2.5),
            seconds(5),
            seconds(10));

    /** Bucket bounds for holds, waits and HTTP requests: the store's, then on to 10 min. */
    static final List<Duration> LOCK_BUCKETS = Stream.concat(
                    STORE_BUCKETS.stream(),
                    Stream.of(seconds(30), seconds(60), seconds(120), seconds(300), seconds(600)))
            .toList();

    private MeterNames() {}

    static Duration[] asArray(List<Duration> buckets) {
        return buckets.toArray(Duration[]::new);
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1_000_000_000));
    }
}
