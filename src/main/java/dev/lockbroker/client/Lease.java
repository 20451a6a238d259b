package dev.lockbroker.client;

import dev.lockbroker.core.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A held lock that heartbeats in the background and is released by {@link #close()}. It counts as
 * valid until {@link #validUntilNanos()} (see {@link HeartbeatPolicy}); when the broker says it ended,
 * or no heartbeat was confirmed by then, it is lost and the {@link #onLost} callbacks run once.
 *
 * <p>Concurrency contract: one daemon thread sends the heartbeats; {@code lock} guards
 * {@code validUntilNanos}, {@code current}, {@code lost}, {@code closed} and the callbacks list. No
 * HTTP call and no callback runs under the lock. Callbacks run on the heartbeat thread, or on the
 * caller of {@link #onLost} when the lease is already lost.
 */
public final class Lease implements AutoCloseable {
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration UNCONFIRMED_RELEASE_TIMEOUT = Duration.ofSeconds(1);

    private final BrokerHttp http;
    private final Clock clock;
    private final HeartbeatPolicy policy;
    private final String leaseId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Consumer<LeaseLostException>> lostCallbacks = new ArrayList<>();
    private final List<LongConsumer> renewedCallbacks = new ArrayList<>();
    private final Thread heartbeater;

    private LeaseInfo current;
    private long validUntilNanos;
    private long nextBeatNanos;
    private LeaseLostException lost;
    private boolean closed;
    private boolean released;

    Lease(BrokerHttp http, Clock clock, LeaseInfo granted, long grantedNotBeforeNanos) {
        this.http = http;
        this.clock = clock;
        this.policy = HeartbeatPolicy.forTtl(Duration.ofSeconds(granted.ttlSeconds()));
        this.leaseId = granted.leaseId();
        this.current = granted;
        this.validUntilNanos = policy.validUntil(grantedNotBeforeNanos);
        this.nextBeatNanos = grantedNotBeforeNanos + policy.intervalNanos();
        this.heartbeater =
                Thread.ofPlatform().daemon().name("lockbroker-heartbeat").unstarted(this::heartbeatLoop);
        heartbeater.start();
    }

    public String leaseId() {
        return leaseId;
    }

    public long fencingToken() {
        return current.fencingToken();
    }

    /** The lease as last confirmed by the broker. */
    public LeaseInfo info() {
        return withLock(() -> current);
    }

    public HeartbeatPolicy policy() {
        return policy;
    }

    /** The monotonic time ({@link System#nanoTime()} scale) until which the lease may be trusted. */
    public long validUntilNanos() {
        return withLock(() -> validUntilNanos);
    }

    /** Held, not lost, not closed, and within its last confirmed validity. */
    public boolean isValid() {
        return withLock(() -> lost == null && !closed && clock.nanoTime() - validUntilNanos < 0);
    }

    /** Why the lease was lost, if it was. */
    public Optional<LeaseLostException> lostCause() {
        return Optional.ofNullable(withLock(() -> lost));
    }

    /** Throws the loss if the lease is not valid; call before each fenced action. */
    public void checkValid() {
        if (!isValid()) {
            throw lostCause()
                    .orElseGet(() -> new LeaseLostException(
                            leaseId,
                            LeaseLostException.UNCONFIRMED,
                            "lease " + leaseId + " is closed or unconfirmed",
                            null));
        }
    }

    /** Runs {@code callback} once when the lease is lost (now, if it already is). */
    public void onLost(Consumer<LeaseLostException> callback) {
        LeaseLostException already;
        lock.lock();
        try {
            already = lost;
            if (already == null) {
                lostCallbacks.add(callback);
            }
        } finally {
            lock.unlock();
        }
        if (already != null) {
            callback.accept(already);
        }
    }

    /**
     * Runs {@code callback} with the new {@link #validUntilNanos()} after each heartbeat that extended it,
     * on the heartbeat thread (so a slow callback delays the next heartbeat).
     */
    public void onRenewed(LongConsumer callback) {
        lock.lock();
        try {
            renewedCallbacks.add(callback);
        } finally {
            lock.unlock();
        }
    }

    /** Stops heartbeating and releases the lease at the broker; throws if the broker cannot confirm. */
    public void release() throws InterruptedException {
        stopHeartbeats();
        if (withLock(() -> released || (lost != null && lost.isConfirmedByBroker()))) {
            return;
        }
        // A lease lost for want of confirmation most likely means an unreachable broker: do not wait long.
        Duration timeout = withLock(() -> lost) == null ? RELEASE_TIMEOUT : UNCONFIRMED_RELEASE_TIMEOUT;
        BrokerReply reply = http.send("DELETE", "/v1/leases/" + leaseId, null, timeout);
        withLock(() -> released = true);
        if (reply.status() != 204 && reply.status() != 410) {
            throw http.failure(reply);
        }
    }

    /** Releases quietly: a lease that cannot be released expires after its TTL. */
    @Override
    public void close() {
        try {
            release();
        } catch (LockClientException e) {
            // Expires on its own after the TTL.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopHeartbeats() throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        heartbeater.interrupt();
        heartbeater.join(RELEASE_TIMEOUT.toMillis());
    }

    private void heartbeatLoop() {
        try {
            while (awaitNextBeat()) {
                beat();
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    /** Waits for the next heartbeat; false when closed or lost (marking it lost when validity ran out). */
    private boolean awaitNextBeat() throws InterruptedException {
        LeaseLostException expired;
        lock.lock();
        try {
            while (true) {
                if (closed || lost != null) {
                    return false;
                }
                long now = clock.nanoTime();
                if (now - validUntilNanos >= 0) {
                    break;
                }
                if (now - nextBeatNanos >= 0) {
                    return true;
                }
                changed.awaitNanos(Math.min(nextBeatNanos, validUntilNanos) - now);
            }
            expired = new LeaseLostException(
                    leaseId,
                    LeaseLostException.UNCONFIRMED,
                    "lease " + leaseId + " could not be confirmed by " + http.baseUrl() + " before it may expire",
                    null);
        } finally {
            lock.unlock();
        }
        markLost(expired);
        return false;
    }

    private void beat() throws InterruptedException {
        long sentNanos = clock.nanoTime();
        long budgetNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), withLock(() -> validUntilNanos) - sentNanos);
        try {
            BrokerReply reply =
                    http.send("POST", "/v1/leases/" + leaseId + "/heartbeat", null, Duration.ofNanos(budgetNanos));
            switch (reply.status()) {
                case 200 -> confirmed(WireJson.lease(reply.body()), sentNanos);
                case 404, 410 ->
                    markLost(new LeaseLostException(
                            leaseId,
                            reply.status() == 404 ? "unknown" : reply.reason(),
                            "lease " + leaseId + " was lost: " + reply.message(),
                            null));
                default -> retryLater();
            }
        } catch (LockClientException | java.io.UncheckedIOException | IllegalArgumentException e) {
            retryLater();
        }
    }

    private void confirmed(LeaseInfo info, long sentNanos) {
        long validUntil;
        List<LongConsumer> callbacks;
        lock.lock();
        try {
            current = info;
            validUntilNanos = Math.max(validUntilNanos, policy.validUntil(sentNanos));
            nextBeatNanos = sentNanos + policy.intervalNanos();
            validUntil = validUntilNanos;
            callbacks = List.copyOf(renewedCallbacks);
        } finally {
            lock.unlock();
        }
        callbacks.forEach(callback -> callback.accept(validUntil));
    }

    private void retryLater() {
        withLock(() -> nextBeatNanos = clock.nanoTime() + policy.retryNanos());
    }

    private void markLost(LeaseLostException cause) {
        List<Consumer<LeaseLostException>> callbacks;
        lock.lock();
        try {
            if (lost != null || closed) {
                return;
            }
            lost = cause;
            callbacks = List.copyOf(lostCallbacks);
            lostCallbacks.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Consumer<LeaseLostException> callback : callbacks) {
            callback.accept(cause);
        }
    }

    private <T> T withLock(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
