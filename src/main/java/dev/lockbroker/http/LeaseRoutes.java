package dev.lockbroker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.InvalidRequestException;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LeaseView;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The /v1 handlers: translate HTTP to core calls and core outcomes to HTTP. */
final class LeaseRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRoutes.class);
    private static final int DEFAULT_TTL_SECONDS = 30;
    private static final int MAX_REPLY_WITHIN_MILLIS = 30_000;

    private final LockService service;
    private final ObjectMapper mapper;
    private final long longPollMillis;
    private final Scopes scopes;
    private final TicketQuota quota;

    LeaseRoutes(LockService service, ObjectMapper mapper, long longPollMillis, int maxQueuedPerToken) {
        this.service = service;
        this.mapper = mapper;
        this.longPollMillis = longPollMillis;
        this.scopes = new Scopes(service);
        this.quota = new TicketQuota(service, maxQueuedPerToken);
    }

    void acquire(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        LockKey.validateName("namespace", namespace);
        Scopes.requireLock(ctx, namespace);
        Json.AcquireBody body = readBody(ctx.bodyAsBytes());
        LeaseRequest request = parse(namespace, body);
        long pollMillis = Math.min(request.waitMillis(), longPollMillis);
        if (body.replyWithinMillis() != null) {
            pollMillis = Math.min(pollMillis, body.replyWithinMillis());
        }
        long poll = pollMillis;
        // A try-once acquire (waitSeconds 0) never queues, so it is never counted against the token.
        answer(
                ctx,
                request.waitMillis() == 0
                        ? service.acquireAsync(request, poll)
                        : quota.acquire(
                                Scopes.caller(ctx), System.nanoTime(), () -> service.acquirePending(request, poll)),
                HttpStatus.CREATED);
    }

    void pollTicket(Context ctx) {
        String ticketId = ctx.pathParam("ticketId");
        scopes.requireLockById(ctx, ticketId);
        long waitMillis = Math.min(waitSecondsParam(ctx) * 1000L, longPollMillis);
        Integer knownPosition = knownPositionParam(ctx);
        answer(
                ctx,
                knownPosition == null
                        ? service.pollAsync(ticketId, waitMillis)
                        : service.pollUntilMovedAsync(ticketId, waitMillis, knownPosition),
                HttpStatus.OK);
    }

    void cancelTicket(Context ctx) {
        scopes.requireLockById(ctx, ctx.pathParam("ticketId"));
        service.cancel(ctx.pathParam("ticketId"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    void heartbeat(Context ctx) {
        scopes.requireLockById(ctx, ctx.pathParam("leaseId"));
        ctx.json(Json.Lease.of(service.heartbeat(ctx.pathParam("leaseId"))));
    }

    void release(Context ctx) {
        scopes.requireLockById(ctx, ctx.pathParam("leaseId"));
        service.release(ctx.pathParam("leaseId"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** Admin: ends a lease now; its holder learns the reason at its next heartbeat. */
    void revoke(Context ctx) {
        scopes.requireAdminById(ctx, ctx.pathParam("leaseId"));
        Json.RevokeBody body = read(ctx.bodyAsBytes(), Json.RevokeBody.class);
        String reason = body == null ? null : body.reason();
        LeaseView revoked = service.revoke(ctx.pathParam("leaseId"), reason);
        LOG.warn("revoked the lease of {} under fencing token {}: {}", revoked.key(), revoked.token(), reason);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** Admin: revokes the holders of one key, optionally only the one under an expected fencing token. */
    void revokeKey(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        LockKey.validateName("namespace", namespace);
        Scopes.requireAdmin(ctx, namespace);
        LockKey key = new LockKey(namespace, ctx.queryParam("shard"));
        String reason = ctx.queryParam("reason");
        List<LeaseView> revoked = service.revokeKey(key, fencingTokenParam(ctx), reason);
        for (LeaseView lease : revoked) {
            LOG.warn("revoked the lease of {} under fencing token {}: {}", key, lease.token(), reason);
        }
        ctx.json(new Json.Revoked(revoked.stream()
                .map(l -> new Json.RevokedLease(l.leaseId(), l.token()))
                .toList()));
    }

    void locks(Context ctx) {
        LockKey.validateName("namespace", ctx.pathParam("namespace"));
        Scopes.requireLock(ctx, ctx.pathParam("namespace"));
        ctx.json(Json.NamespaceLocks.of(service.status(ctx.pathParam("namespace"))));
    }

    /** The active namespaces the caller may use; the others are not mentioned. */
    void namespaces(Context ctx) {
        Scopes.requireLock(ctx, null);
        Caller caller = Scopes.caller(ctx);
        ctx.json(new Json.Namespaces(service.activeNamespaces().stream()
                .filter(s -> caller.mayUse(s.namespace()))
                .map(s -> new Json.NamespaceSummary(s.namespace(), s.holders(), s.waiting()))
                .toList()));
    }

    /**
     * Answers now when the outcome is known, else later without a thread: the request goes async
     * (Javalin's {@code ctx.future}) and the after-handlers, the cluster gate's check among them,
     * run when it completes. A connection that fails meanwhile cancels the poll, which leaves its
     * ticket at once.
     */
    private void answer(Context ctx, CompletableFuture<AcquireOutcome> outcome, HttpStatus grantedStatus) {
        if (outcome.isDone()) {
            answer(ctx, answered(outcome), grantedStatus);
            return;
        }
        ctx.future(() -> {
            ctx.req().getAsyncContext().addListener(new AbandonedPoll(outcome));
            return outcome.thenAccept(o -> answer(ctx, o, grantedStatus));
        });
    }

    private static AcquireOutcome answered(CompletableFuture<AcquireOutcome> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown; // mapped as if the core had thrown it here
            }
            throw e;
        }
    }

    private void answer(Context ctx, AcquireOutcome outcome, HttpStatus grantedStatus) {
        switch (outcome) {
            case AcquireOutcome.Granted g -> {
                ctx.header("Location", "/v1/leases/" + g.lease().leaseId());
                ctx.status(grantedStatus).json(Json.Lease.of(g.lease()));
            }
            case AcquireOutcome.Queued q -> {
                ctx.header("Location", "/v1/tickets/" + q.ticket().ticketId());
                ctx.status(HttpStatus.ACCEPTED).json(Json.Ticket.of(q.ticket()));
            }
            case AcquireOutcome.Busy b ->
                ctx.status(HttpStatus.CONFLICT)
                        .json(new ApiError(
                                "busy",
                                "the lock is held and waitSeconds was 0",
                                null,
                                Json.HolderJson.of(b.holders())));
            case AcquireOutcome.TimedOut t ->
                ctx.status(HttpStatus.CONFLICT)
                        .json(new ApiError(
                                "timed_out",
                                "the wait deadline passed while queued",
                                null,
                                Json.HolderJson.of(t.holders())));
        }
    }

    private <T> T read(byte[] body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            if (e.getCause() instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            throw new InvalidJsonException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidJsonException(e.getMessage());
        }
    }

    private Json.AcquireBody readBody(byte[] body) {
        Json.AcquireBody b = read(body, Json.AcquireBody.class);
        if (b == null) {
            throw new InvalidRequestException("a JSON object body is required");
        }
        if (b.replyWithinMillis() != null
                && (b.replyWithinMillis() < 0 || b.replyWithinMillis() > MAX_REPLY_WITHIN_MILLIS)) {
            throw new InvalidRequestException("replyWithinMillis must be between 0 and 30000");
        }
        return b;
    }

    private LeaseRequest parse(String namespace, Json.AcquireBody b) {
        if (b.expectedHoldSeconds() != null && b.expectedHoldSeconds() < 1) {
            throw new InvalidRequestException("expectedHoldSeconds must be between 1 and 86400");
        }
        int ttl = b.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : b.ttlSeconds();
        int wait = b.waitSeconds() == null ? 0 : b.waitSeconds();
        if (b.holder() == null) {
            throw new InvalidRequestException("holder is required, e.g. {\"name\": \"nightly-sync\"}");
        }
        return new LeaseRequest(
                new LockKey(namespace, b.shard()),
                Mode.parse(b.mode()),
                ttl * 1000L,
                wait * 1000L,
                b.holder(),
                b.requestId(),
                b.expectedHoldSeconds() == null ? 0 : b.expectedHoldSeconds() * 1000L);
    }

    private static Integer knownPositionParam(Context ctx) {
        String raw = ctx.queryParam("knownPosition");
        if (raw == null) {
            return null;
        }
        try {
            int position = Integer.parseInt(raw);
            if (position >= 1) {
                return position;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new InvalidRequestException("knownPosition must be a whole number of at least 1");
    }

    private static Long fencingTokenParam(Context ctx) {
        String raw = ctx.queryParam("fencingToken");
        if (raw == null) {
            return null;
        }
        try {
            long token = Long.parseLong(raw);
            if (token >= 1) {
                return token;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new InvalidRequestException("fencingToken must be a whole number of at least 1");
    }

    private static long waitSecondsParam(Context ctx) {
        String raw = ctx.queryParam("waitSeconds");
        if (raw == null) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(raw);
            if (seconds >= 0 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new InvalidRequestException("waitSeconds must be a whole number from 0 to 3600");
    }
}
