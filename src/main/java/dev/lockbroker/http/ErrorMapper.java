package dev.lockbroker.http;

import dev.lockbroker.core.GoneException;
import dev.lockbroker.core.InvalidRequestException;
import dev.lockbroker.core.NotFoundException;
import dev.lockbroker.core.ServiceClosingException;
import dev.lockbroker.core.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where errors become HTTP answers, always {@code {error, message}}. */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static void register(RoutesConfig routes) {
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
        routes.exception(UnauthorizedException.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer");
            send(ctx, HttpStatus.UNAUTHORIZED, ApiError.of("unauthorized", e.getMessage()));
        });
        routes.exception(HttpResponseException.class, ErrorMapper::framework);
        routes.exception(Exception.class, (e, ctx) -> {
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
        send(
                ctx,
                HttpStatus.GONE,
                new ApiError(
                        lease ? "lease_gone" : "ticket_ended",
                        e.getMessage(),
                        e.reason().wireName(),
                        holders));
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
