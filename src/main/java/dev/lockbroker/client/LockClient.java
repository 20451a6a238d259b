package dev.lockbroker.client;

import dev.lockbroker.core.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A client of one lockbroker server. {@link #acquire} waits in the key's FIFO queue and returns a
 * {@link Lease} that heartbeats until closed:
 *
 * <pre>{@code
 * LockClient client = LockClient.create(URI.create("http://localhost:8080"), Optional.empty());
 * try (Lease lease = client.acquire(LockRequest.exclusive("deploys", "eu-1", Duration.ofSeconds(30)), Duration.ofMinutes(10))) {
 *     lease.checkValid();
 *     storage.write(data, lease.fencingToken());
 * }
 * }</pre>
 *
 * Thread-safe; one instance may serve many acquisitions.
 */
public final class LockClient {
    /** The longest wait the broker accepts. */
    public static final Duration MAX_WAIT = Duration.ofHours(1);
    /** The longest single long-poll this client asks for. */
    static final long DEFAULT_MAX_POLL_SECONDS = 30;

    private final BrokerHttp http;
    private final Clock clock;

    private LockClient(BrokerHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** A client of the broker at {@code baseUrl}, sending {@code bearerToken} when present. */
    public static LockClient create(URI baseUrl, Optional<String> bearerToken) {
        return new LockClient(new BrokerHttp(baseUrl, bearerToken), Clock.SYSTEM);
    }

    public URI baseUrl() {
        return http.baseUrl();
    }

    /** Waits up to {@code maxWait} for the lock and returns it heartbeating. */
    public Lease acquire(LockRequest request, Duration maxWait) throws InterruptedException {
        return acquire(request, maxWait, DEFAULT_MAX_POLL_SECONDS, ticket -> {});
    }

    /**
     * Waits up to {@code maxWait} (rounded up to whole seconds) for the lock, reporting each queue
     * position to {@code progress}, and returns it heartbeating. A zero wait tries once.
     *
     * @throws LockTimeoutException not granted in time, naming the holders
     * @throws BrokerUnavailableException the broker cannot be reached or cannot serve
     * @throws BrokerRejectedException the broker refused the request
     */
    public Lease acquire(LockRequest request, Duration maxWait, long maxPollSeconds, Consumer<TicketInfo> progress)
            throws InterruptedException {
        Acquisition.Granted granted =
                acquisition(request, maxWait, maxPollSeconds, progress).run();
        return new Lease(http, clock, granted.lease(), confirmedSince(granted));
    }

    /**
     * The send time from which the lease's validity may be counted. A grant answered to a long-poll may
     * date from any moment after the poll was sent, so when little of the TTL is left counted from the
     * send, one heartbeat confirms the lease afresh.
     */
    private long confirmedSince(Acquisition.Granted granted) throws InterruptedException {
        HeartbeatPolicy policy =
                HeartbeatPolicy.forTtl(Duration.ofSeconds(granted.lease().ttlSeconds()));
        long sentNanos = granted.grantedNotBeforeNanos();
        if (policy.validUntil(sentNanos) - clock.nanoTime() >= policy.intervalNanos()) {
            return sentNanos;
        }
        long beatSentNanos = clock.nanoTime();
        try {
            heartbeat(granted.lease().leaseId());
            return beatSentNanos;
        } catch (BrokerUnavailableException | BrokerRejectedException e) {
            releaseQuietly(granted.lease().leaseId());
            throw e;
        }
    }

    private void releaseQuietly(String leaseId) throws InterruptedException {
        try {
            release(leaseId);
        } catch (LockClientException e) {
            // It expires after its TTL.
        }
    }

    /** Like {@link #acquire}, but returns the lease without heartbeating it: the caller must. */
    public LeaseInfo acquireUnmanaged(LockRequest request, Duration maxWait, Consumer<TicketInfo> progress)
            throws InterruptedException {
        return acquisition(request, maxWait, DEFAULT_MAX_POLL_SECONDS, progress)
                .run()
                .lease();
    }

    /** Extends the lease by its TTL; {@link LeaseLostException} when it ended. */
    public LeaseInfo heartbeat(String leaseId) throws InterruptedException {
        BrokerReply reply = http.send("POST", "/v1/leases/" + leaseId + "/heartbeat", null, Duration.ofSeconds(10));
        return switch (reply.status()) {
            case 200 -> WireJson.lease(reply.body());
            case 410 ->
                throw new LeaseLostException(
                        leaseId, reply.reason(), "lease " + leaseId + " ended: " + reply.message(), null);
            default -> throw http.failure(reply);
        };
    }

    /** Releases the lease (idempotent); {@link LeaseLostException} when it had ended otherwise. */
    public void release(String leaseId) throws InterruptedException {
        BrokerReply reply = http.send("DELETE", "/v1/leases/" + leaseId, null, Duration.ofSeconds(10));
        switch (reply.status()) {
            case 204 -> {}
            case 410 ->
                throw new LeaseLostException(
                        leaseId, reply.reason(), "lease " + leaseId + " had ended: " + reply.message(), null);
            default -> throw http.failure(reply);
        }
    }

    /**
     * Admin: ends a lease now; its holder learns {@code reason} at its next heartbeat.
     *
     * @throws BrokerRejectedException 404 unknown lease, 410 already ended, 401/403 not an admin
     */
    public void revoke(String leaseId, String reason) throws InterruptedException {
        var body = WireJson.MAPPER.createObjectNode().put("reason", reason);
        BrokerReply reply = http.send("POST", "/v1/leases/" + leaseId + "/revoke", body, Duration.ofSeconds(10));
        if (reply.status() != 204) {
            throw http.failure(reply);
        }
    }

    /**
     * Admin: revokes the holders of one key (the whole namespace when {@code shard} is null), only the
     * one under {@code expectedToken} when given.
     *
     * @throws BrokerRejectedException 404 {@code not_held}, 409 {@code holder_mismatch}, 401/403 not an admin
     */
    public List<RevokedLease> revokeKey(String namespace, String shard, Long expectedToken, String reason)
            throws InterruptedException {
        dev.lockbroker.core.LockKey.validateName("namespace", namespace);
        StringBuilder query = new StringBuilder("?reason=").append(encode(reason));
        if (shard != null) {
            query.append("&shard=").append(encode(shard));
        }
        if (expectedToken != null) {
            query.append("&fencingToken=").append(expectedToken);
        }
        BrokerReply reply =
                http.send("DELETE", "/v1/namespaces/" + namespace + "/locks" + query, null, Duration.ofSeconds(10));
        if (reply.status() != 200) {
            throw http.failure(reply);
        }
        List<RevokedLease> revoked = new java.util.ArrayList<>();
        reply.body()
                .path("revoked")
                .forEach(n -> revoked.add(new RevokedLease(
                        n.path("leaseId").asText(), n.path("fencingToken").asLong())));
        return revoked;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** Holders and queues of every key in {@code namespace}. */
    public NamespaceStatus status(String namespace) throws InterruptedException {
        return WireJson.namespaceStatus(statusJson(namespace).body());
    }

    /** Active namespaces with their counts. */
    public List<NamespaceSummary> namespaces() throws InterruptedException {
        return WireJson.namespaces(statusJson(null).body());
    }

    /** The broker's status JSON, pretty-printed: of {@code namespace}, or of all namespaces when null. */
    public String statusJsonText(String namespace) throws InterruptedException {
        return WireJson.pretty(statusJson(namespace).body());
    }

    private BrokerReply statusJson(String namespace) throws InterruptedException {
        if (namespace != null) {
            dev.lockbroker.core.LockKey.validateName("namespace", namespace);
        }
        String path = namespace == null ? "/v1/namespaces" : "/v1/namespaces/" + namespace + "/locks";
        BrokerReply reply = http.send("GET", path, null, Duration.ofSeconds(10));
        if (reply.status() != 200) {
            throw http.failure(reply);
        }
        return reply;
    }

    private Acquisition acquisition(
            LockRequest request, Duration maxWait, long maxPollSeconds, Consumer<TicketInfo> progress) {
        if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("the wait must be from 0 to 1h, not " + maxWait);
        }
        long waitSeconds = maxWait.toSeconds() + (maxWait.toNanosPart() > 0 ? 1 : 0);
        return new Acquisition(
                http, clock, request, Math.min(waitSeconds, MAX_WAIT.toSeconds()), maxPollSeconds, progress);
    }
}
