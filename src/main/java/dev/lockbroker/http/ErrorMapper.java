package dev.lockbroker.http;

import dev.lockbroker.core.EndReason;
import dev.lockbroker.core.GoneException;
import dev.lockbroker.core.InvalidRequestException;
import dev.lockbroker.core.LimitExceededException;
import dev.lockbroker.core.NotFoundException;
import dev.lockbroker.core.RevokeRefusedException;
import dev.lockbroker.core.ServiceClosingException;
import dev.lockbroker.core.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where errors become HTTP answers, always {@code {error, message}}. */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static void register(RoutesConfig routes, java.util.function.Consumer<String> limitRefusals) {
        routes.exception(LimitExceededException.class, (e, ctx) -> {
            limitRefusals.accept(e.limit().wireName());
            ctx.header("Retry-After", "1");
            send(ctx, HttpStatus.TOO_MANY_REQUESTS, ApiError.of("limit_exceeded", e.getMessage()));
        });
        routes.exception(QueuedPerTokenException.class, (e, ctx) -> {
            limitRefusals.accept("queued_per_token");
            ctx.header("Retry-After", "1");
            send(ctx, HttpStatus.TOO_MANY_REQUESTS, ApiError.of("limit_exceeded", e.getMessage()));
        });
        routes.exception(RateLimitedException.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            send(ctx, HttpStatus.TOO_MANY_REQUESTS, ApiError.of("rate_limited", e.getMessage()));
        });
        routes.exception(
                InvalidRequestException.class,
                (e, ctx) -> send(ctx, HttpStatus.BAD_REQUEST, ApiError.of("invalid_request", e.getMessage())));
        routes.exception(
                InvalidJsonException.class,
                (e, ctx) -> send(ctx, HttpStatus.BAD_REQUEST, ApiError.of("invalid_json", e.getMessage())));
        routes.exception(
                NotFoundException.class,
                (e, ctx) -> send(ctx, HttpStatus.NOT_FOUND, ApiError.of("not_found", e.getMessage())));
        routes.exception(GoneException.class, ErrorMapper::gone);
        routes.exception(RevokeRefusedException.class, (e, ctx) -> {
            switch (e.why()) {
                case NOT_HELD -> send(ctx, HttpStatus.NOT_FOUND, ApiError.of("not_held", e.getMessage()));
                case HOLDER_MISMATCH -> send(ctx, HttpStatus.CONFLICT, ApiError.of("holder_mismatch", e.getMessage()));
            }
        });
        routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            LOG.warn("store unavailable: {}", e.getMessage());
            ctx.header("Retry-After", "1");
            send(ctx, HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("store_unavailable", e.getMessage()));
        });
        routes.exception(NotOwnerException.class, (e, ctx) -> {
            ctx.header("Location", e.location());
            send(ctx, HttpStatus.TEMPORARY_REDIRECT, ApiError.of("not_owner", e.getMessage()));
        });
        routes.exception(FencedException.class, (e, ctx) -> fenced(ctx, e.getMessage()));
        routes.exception(ServiceClosingException.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            send(ctx, HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("shutting_down", e.getMessage()));
        });
        // A long-poll cancelled because its connection failed: nobody reads this; no error to log.
        routes.exception(CancellationException.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            send(ctx, HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("store_unavailable", "the long-poll was abandoned"));
        });
        routes.exception(UnauthorizedException.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer");
            send(ctx, HttpStatus.UNAUTHORIZED, ApiError.of("unauthorized", e.getMessage()));
        });
        routes.exception(
                ForbiddenException.class,
                (e, ctx) -> send(ctx, HttpStatus.FORBIDDEN, ApiError.of("forbidden", e.getMessage())));
        routes.exception(HttpResponseException.class, ErrorMapper::framework);
        routes.exception(Exception.class, (e, ctx) -> {
            HttpException jetty = jettyRefusal(e);
            if (jetty != null && jetty.getCode() < 500) {
                unreadable(jetty, ctx); // a malformed body met while reading it: the client's fault
                return;
            }
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            send(
                    ctx,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    ApiError.of("internal", "unexpected error; see the broker log"));
        });
        routes.error(HttpStatus.NOT_FOUND.getCode(), "*", ctx -> {
            if (ctx.result() == null) {
                send(
                        ctx,
                        HttpStatus.NOT_FOUND,
                        ApiError.of("not_found", "no route " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(
                HttpStatus.METHOD_NOT_ALLOWED.getCode(),
                "*",
                ctx -> send(
                        ctx,
                        HttpStatus.METHOD_NOT_ALLOWED,
                        ApiError.of("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path())));
    }

    /** This broker may not answer for the namespace now: 503 as a store outage is, so clients retry. */
    static void fenced(Context ctx, String message) {
        ctx.header("Retry-After", "1");
        send(ctx, HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("store_unavailable", message));
    }

    private static void gone(GoneException e, Context ctx) {
        boolean lease = ctx.path().startsWith("/v1/leases/");
        var holders = e.holders().isEmpty() ? null : Json.HolderJson.of(e.holders());
        // An operator's revoke says so in the error, with the operator's reason as the message.
        String error = e.reason() == EndReason.REVOKED ? "revoked" : lease ? "lease_gone" : "ticket_ended";
        send(
                ctx,
                HttpStatus.GONE,
                new ApiError(error, e.getMessage(), e.reason().wireName(), holders));
    }

    /** The Jetty refusal (a bad chunk, an early end of the body) behind {@code e}, or null. */
    private static HttpException jettyRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return http;
            }
        }
        return null;
    }

    private static void unreadable(HttpException e, Context ctx) {
        int status = EdgeErrors.declaredStatus(e.getCode());
        String reason = e.getReason() == null ? "malformed" : e.getReason();
        send(
                ctx,
                HttpStatus.forStatus(status),
                ApiError.of(EdgeErrors.code(status), "the request could not be read: " + reason));
    }

    /** Javalin's own rejections, such as a body over the size limit. */
    private static void framework(HttpResponseException e, Context ctx) {
        HttpStatus status = HttpStatus.forStatus(e.getStatus());
        String code = switch (status) {
            case CONTENT_TOO_LARGE -> "payload_too_large";
            case BAD_REQUEST -> "invalid_request";
            default -> status.name().toLowerCase(java.util.Locale.ROOT);
        };
        send(ctx, status, ApiError.of(code, e.getMessage()));
    }

    private static void send(Context ctx, HttpStatus status, ApiError error) {
        ctx.status(status).json(error);
    }
}
