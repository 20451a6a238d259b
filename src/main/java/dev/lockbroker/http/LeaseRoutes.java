package dev.lockbroker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockbroker.core.AcquireOutcome;
import dev.lockbroker.core.InvalidRequestException;
import dev.lockbroker.core.LeaseRequest;
import dev.lockbroker.core.LockKey;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Mode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;

/** The /v1 handlers: translate HTTP to core calls and core outcomes to HTTP. */
final class LeaseRoutes {
    private static final int DEFAULT_TTL_SECONDS = 30;
    private static final int MAX_REPLY_WITHIN_MILLIS = 30_000;

    private final LockService service;
    private final ObjectMapper mapper;
    private final long longPollMillis;

    LeaseRoutes(LockService service, ObjectMapper mapper, long longPollMillis) {
        this.service = service;
        this.mapper = mapper;
        this.longPollMillis = longPollMillis;
    }

    void acquire(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        LockKey.validateName("namespace", namespace);
        Json.AcquireBody body = readBody(ctx.bodyAsBytes());
        LeaseRequest request = parse(namespace, body);
        long pollMillis = Math.min(request.waitMillis(), longPollMillis);
        if (body.replyWithinMillis() != null) {
            pollMillis = Math.min(pollMillis, body.replyWithinMillis());
        }
        answer(ctx, service.acquire(request, pollMillis), HttpStatus.CREATED);
    }

    void pollTicket(Context ctx) {
        long waitMillis = Math.min(waitSecondsParam(ctx) * 1000L, longPollMillis);
        Integer knownPosition = knownPositionParam(ctx);
        String ticketId = ctx.pathParam("ticketId");
        answer(
                ctx,
                knownPosition == null
                        ? service.poll(ticketId, waitMillis)
                        : service.pollUntilMoved(ticketId, waitMillis, knownPosition),
                HttpStatus.OK);
    }

    void cancelTicket(Context ctx) {
        service.cancel(ctx.pathParam("ticketId"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    void heartbeat(Context ctx) {
        ctx.json(Json.Lease.of(service.heartbeat(ctx.pathParam("leaseId"))));
    }

    void release(Context ctx) {
        service.release(ctx.pathParam("leaseId"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    void locks(Context ctx) {
        ctx.json(Json.NamespaceLocks.of(service.status(ctx.pathParam("namespace"))));
    }

    void namespaces(Context ctx) {
        ctx.json(new Json.Namespaces(service.activeNamespaces().stream()
                .map(s -> new Json.NamespaceSummary(s.namespace(), s.holders(), s.waiting()))
                .toList()));
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

    private Json.AcquireBody readBody(byte[] body) {
        Json.AcquireBody b;
        try {
            b = mapper.readValue(body, Json.AcquireBody.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            if (e.getCause() instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            throw new InvalidJsonException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidJsonException(e.getMessage());
        }
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
