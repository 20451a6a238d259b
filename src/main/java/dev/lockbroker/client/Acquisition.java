package dev.lockbroker.client;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.HolderView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One wait for a lease: POST to join the queue, then long-poll the ticket until it is granted, ends,
 * or the deadline passes. The POST carries a random {@code requestId}, so retrying it after a network
 * error cannot queue twice. Giving up (deadline, interrupt, broker gone) leaves the queue.
 *
 * <p>Not thread-safe: one thread runs one acquisition.
 */
final class Acquisition {
    /** The grant and the earliest send time of the requests that may have caused it. */
    record Granted(LeaseInfo lease, long grantedNotBeforeNanos) {}

    /** How long past the deadline the broker's own timed_out answer is awaited before giving up locally. */
    static final long ANSWER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long the broker may stay unreachable before the wait is abandoned. */
    static final long UNREACHABLE_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static final Duration REQUEST_SLACK = Duration.ofSeconds(15);
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(2);

    private final BrokerHttp http;
    private final Clock clock;
    private final LockRequest request;
    private final long waitSeconds;
    private final long maxPollSeconds;
    private final Consumer<TicketInfo> progress;
    private final String requestId = RequestIds.random();

    private long deadlineNanos;
    private long firstUnansweredSendNanos;
    private boolean awaitingAnswer;
    private String ticketPath;
    private int lastPosition;
    private boolean joining;

    Acquisition(
            BrokerHttp http,
            Clock clock,
            LockRequest request,
            long waitSeconds,
            long maxPollSeconds,
            Consumer<TicketInfo> progress) {
        this.http = http;
        this.clock = clock;
        this.request = request;
        this.waitSeconds = waitSeconds;
        this.maxPollSeconds = maxPollSeconds;
        this.progress = progress;
    }

    Granted run() throws InterruptedException {
        deadlineNanos = clock.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        try {
            BrokerReply reply = join();
            while (true) {
                Granted granted = interpret(reply);
                if (granted != null) {
                    return granted;
                }
                reply = poll();
                if (reply.status() == 404 && clock.nanoTime() - deadlineNanos < 0) {
                    // The ticket lived on a broker that lost the namespace (a group's failover) or
                    // restarted: join again under the same requestId, which cannot queue twice.
                    ticketPath = null;
                    reply = join();
                }
            }
        } catch (InterruptedException e) {
            leaveQueue();
            throw e;
        } catch (RuntimeException e) {
            leaveQueue();
            throw e;
        }
    }

    private BrokerReply join() throws InterruptedException {
        joining = true;
        var body = WireJson.acquireBody(request, waitSeconds, requestId);
        Duration timeout = Duration.ofSeconds(waitSeconds).plus(REQUEST_SLACK);
        BrokerReply reply = sendRetrying("POST", joinPath(), body, timeout);
        joining = false;
        return reply;
    }

    private String joinPath() {
        return "/v1/namespaces/" + request.key().namespace() + "/leases";
    }

    private BrokerReply poll() throws InterruptedException {
        long remainingNanos = deadlineNanos - clock.nanoTime();
        if (remainingNanos < -ANSWER_GRACE_NANOS) {
            throw timedOut("the wait deadline passed", holdersNow());
        }
        long pollSeconds = Math.min(maxPollSeconds, Math.max(0, ceilSeconds(remainingNanos)));
        Duration timeout = Duration.ofSeconds(pollSeconds).plus(REQUEST_SLACK);
        // knownPosition: the broker answers as soon as the queue moves, so progress follows it.
        String query = "?waitSeconds=" + pollSeconds + "&knownPosition=" + lastPosition;
        return sendRetrying("GET", ticketPath + query, null, timeout);
    }

    /** The grant, or null to go on polling; throws for every ending that is not a grant. */
    private Granted interpret(BrokerReply reply) {
        switch (reply.status()) {
            case 200, 201 -> {
                ticketPath = null;
                return new Granted(WireJson.lease(reply.body()), firstUnansweredSendNanos);
            }
            case 202 -> {
                TicketInfo ticket = WireJson.ticket(reply.body());
                ticketPath = reply.location() != null ? reply.location() : "/v1/tickets/" + ticket.ticketId();
                lastPosition = ticket.position();
                progress.accept(ticket);
                return null;
            }
            case 409 ->
                throw timedOut(reply.message(), WireJson.holders(reply.body().path("holders")), reply.error());
            case 410 -> {
                ticketPath = null;
                if (reply.reason().equals("timed_out") || reply.reason().equals("busy")) {
                    throw timedOut(
                            reply.message(), WireJson.holders(reply.body().path("holders")), reply.reason());
                }
                throw new BrokerRejectedException(
                        410, reply.error(), "left the queue: " + reply.reason() + ": " + reply.message());
            }
            default -> throw http.failure(reply);
        }
    }

    /**
     * Sends, retrying network errors (for a short budget) and 503 answers (until the deadline) with
     * backoff. Records when an unanswered request was first sent: a grant may date from then.
     */
    private BrokerReply sendRetrying(String method, String path, String body, Duration timeout)
            throws InterruptedException {
        long backoffMillis = 100;
        long unreachableSince = -1;
        while (true) {
            long sentNanos = clock.nanoTime();
            if (!awaitingAnswer) {
                firstUnansweredSendNanos = sentNanos;
                awaitingAnswer = true;
            }
            try {
                BrokerReply reply = http.send(method, path, body, timeout);
                if (reply.status() == 202) {
                    // The ticket may be granted the moment after this answer was composed, before the
                    // next poll is sent: a grant that poll brings dates from no earlier than this send.
                    firstUnansweredSendNanos = sentNanos;
                    return reply;
                }
                if (reply.status() != 503) {
                    awaitingAnswer = false;
                    return reply;
                }
                // A 503 may hide a grant whose record was written: keep the earlier send time.
                if (clock.nanoTime() - deadlineNanos >= 0) {
                    return reply;
                }
                unreachableSince = -1;
            } catch (BrokerUnavailableException e) {
                unreachableSince = unreachableSince < 0 ? sentNanos : unreachableSince;
                if (clock.nanoTime() - unreachableSince >= UNREACHABLE_BUDGET_NANOS) {
                    throw e;
                }
            }
            Thread.sleep(backoffMillis);
            backoffMillis = Math.min(1_000, backoffMillis * 2);
        }
    }

    private LockTimeoutException timedOut(String message, List<HolderView> holders) {
        return timedOut(message, holders, "timed_out");
    }

    private LockTimeoutException timedOut(String message, List<HolderView> holders, String reason) {
        return new LockTimeoutException(reason, message, holders);
    }

    /** Who holds the key now, for a deadline the broker did not answer in time; best effort. */
    private List<HolderView> holdersNow() throws InterruptedException {
        try {
            BrokerReply reply =
                    http.send("GET", "/v1/namespaces/" + request.key().namespace() + "/locks", null, CANCEL_TIMEOUT);
            return WireJson.namespaceStatus(reply.body()).keys().stream()
                    .filter(k -> k.shard() == null
                            || request.key().shard() == null
                            || k.shard().equals(request.key().shard()))
                    .flatMap(k -> k.holders().stream())
                    .toList();
        } catch (LockClientException | IllegalArgumentException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** Deletes the ticket, if one is outstanding; best effort, and even when this thread was interrupted. */
    private void leaveQueue() {
        if (ticketPath == null && !joining) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            http.send("DELETE", ticketPath != null ? ticketPath : joinedPath(), null, CANCEL_TIMEOUT);
        } catch (LockClientException | InterruptedException | IllegalStateException e) {
            // The broker drops a ticket nobody polls after its ticket TTL.
        } finally {
            ticketPath = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What an unanswered POST created: repeating its requestId with no wait answers at once with the
     * ticket (or the lease, if granted meanwhile), whose path is returned for deletion.
     */
    private String joinedPath() throws InterruptedException {
        BrokerReply reply = http.send("POST", joinPath(), WireJson.acquireBody(request, 0, requestId), CANCEL_TIMEOUT);
        return switch (reply.status()) {
            case 202 ->
                reply.location() != null
                        ? reply.location()
                        : "/v1/tickets/" + reply.body().path("ticketId").asText();
            case 200, 201 -> "/v1/leases/" + reply.body().path("leaseId").asText();
            default -> throw new IllegalStateException("nothing to leave: HTTP " + reply.status());
        };
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
