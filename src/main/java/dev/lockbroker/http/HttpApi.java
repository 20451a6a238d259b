package dev.lockbroker.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.Ownership;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Builds the broker's HTTP server over an injected {@link LockService}; returns it unstarted, so
 * tests can start it on port 0. Handlers run on virtual threads; a long-poll that must wait parks
 * no thread at all (an async request answered by the core's future).
 */
public final class HttpApi {
    private static final String REQUEST_ID = "requestId";
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    private static final long MIN_BODY_BYTES_PER_SECOND = 1_024;
    private static final int ACCEPT_QUEUE_SIZE = 1_024;
    /**
     * How long a connection may stay idle once shutdown begins. Parked long-polls have had their 503
     * written by then ({@link LockService#close} waits for it, before the server stops), so only
     * idle keep-alive connections wait this out.
     */
    private static final long SHUTDOWN_IDLE_TIMEOUT_MILLIS = 200;

    private HttpApi() {}

    public static Javalin create(LockService service, HttpSettings settings) {
        return create(service, settings, null, outcome -> {});
    }

    /**
     * As {@link #create(LockService, HttpSettings)}, for a broker in a group when {@code ownership}
     * is set: requests are routed to the owner of their namespace, and {@code clusterObserver} hears
     * each redirect and fenced refusal.
     */
    @SuppressWarnings("removal") // setMinRequestDataRate: Jetty 12.0 has no other body-rate deadline
    public static Javalin create(
            LockService service,
            HttpSettings settings,
            @Nullable Ownership ownership,
            Consumer<String> clusterObserver) {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        LeaseRoutes leases = new LeaseRoutes(service, mapper, settings.longPollMillis(), settings.maxQueuedPerToken());
        TlsReloader tls = settings.tls() == null ? null : new TlsReloader(settings.tls());
        AccessControl access = settings.access() == null ? AccessControl.of(null, null) : settings.access();
        RateLimiter rate = new RateLimiter(settings.requestsPerSecondPerToken());
        return Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = HttpSettings.MAX_BODY_BYTES;
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyServer(server -> configureServer(server, settings, tls));
            cfg.jetty.modifyHttpConfiguration(http -> {
                // A body must keep arriving at this rate once the handler reads it (Jetty enforces it on reads).
                http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);
                // Jetty's per-connection header cache is a ~96 KiB table made on a connection's second
                // request: a client re-polling its ticket on a kept-alive connection paid it per waiter.
                http.setHeaderCacheSize(0);
                if (tls != null) { // marks requests that came over TLS as https; no SNI or HSTS rules
                    http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
                }
            });
            // Errors found inside the servlet context (a bad URI, an ambiguous path) answer JSON too.
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new EdgeErrorHandler()));
            cfg.jsonMapper(new JavalinJackson(mapper, true));
            cfg.requestLogger.http((ctx, millis) -> observe(settings.observer(), ctx, millis));
            cfg.routes.before(ctx -> {
                tagRequest(ctx);
                authenticate(ctx, access);
                throttle(ctx, rate, settings);
            });
            if (ownership != null) {
                new ClusterGate(ownership, clusterObserver).register(cfg.routes);
            }
            routes(cfg, leases, service, settings, ownership);
            ErrorMapper.register(cfg.routes, settings.limitRefusals());
        });
    }

    /**
     * On stop, Jetty stops accepting and lets requests in flight (woken long-polls) answer first;
     * Jetty's own errors answer JSON; oversized bodies are refused before 100 Continue; slow request
     * heads and bodies are cut off. With TLS the port speaks TLS, and a plain HTTP request to it is
     * detected and answered 400 JSON by {@link EdgeGuard} instead of failing a handshake.
     */
    private static void configureServer(Server server, HttpSettings settings, TlsReloader tls) {
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        server.setErrorHandler(new EdgeErrorHandler());
        SlowRequestReaper reaper = new SlowRequestReaper(server, settings.headerTimeoutMillis());
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                // Cron jobs fire together: let a burst of connections wait in the backlog (JDK default 50).
                for (var connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector tcp) {
                        tcp.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
                        // A long-poll sends nothing until it answers: the idle timeout must not race
                        // the longest window (Jetty's default, 30 s, equals the largest one allowed).
                        tcp.setIdleTimeout(Math.max(tcp.getIdleTimeout(), settings.longPollMillis() + 15_000));
                        if (tls != null && tcp.getConnectionFactory(DetectorConnectionFactory.class) == null) {
                            tcp.addFirstConnectionFactory(new DetectorConnectionFactory(
                                    new SslConnectionFactory(tls.factory(), HttpVersion.HTTP_1_1.asString())));
                        }
                    }
                }
                // Jetty 12 waits on stop only for requests a GracefulHandler tracks.
                if (!(server.getHandler() instanceof GracefulHandler)) {
                    GracefulHandler graceful = new GracefulHandler(
                            new EdgeGuard(server.getHandler(), HttpSettings.MAX_BODY_BYTES, tls != null));
                    graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MILLIS);
                    server.setHandler(graceful);
                }
            }

            @Override
            public void lifeCycleStarted(LifeCycle event) {
                reaper.start();
                if (tls != null) {
                    tls.start();
                }
            }

            @Override
            public void lifeCycleStopping(LifeCycle event) {
                reaper.close();
                if (tls != null) {
                    tls.close();
                }
            }
        });
    }

    private static void routes(
            JavalinConfig cfg,
            LeaseRoutes leases,
            LockService service,
            HttpSettings settings,
            @Nullable Ownership ownership) {
        var r = cfg.routes;
        r.post("/v1/namespaces/{namespace}/leases", leases::acquire);
        r.get("/v1/namespaces/{namespace}/locks", leases::locks);
        r.get("/v1/namespaces", leases::namespaces);
        r.get("/v1/tickets/{ticketId}", leases::pollTicket);
        r.delete("/v1/tickets/{ticketId}", leases::cancelTicket);
        r.post("/v1/leases/{leaseId}/heartbeat", leases::heartbeat);
        r.delete("/v1/leases/{leaseId}", leases::release);
        r.post("/v1/leases/{leaseId}/revoke", leases::revoke);
        r.delete("/v1/namespaces/{namespace}/locks", leases::revokeKey);
        r.get("/healthz", ctx -> ctx.json(new Json.Health("ok")));
        r.get("/readyz", ctx -> {
            service.checkReady();
            if (ownership != null && !ownership.isKnown()) {
                throw new FencedException("the owners of the namespaces are not known yet");
            }
            ctx.json(new Json.Health("ready"));
        });
        if (settings.metricsScrape() != null) {
            r.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(MetricsScope.filter(settings.metricsScrape().get(), Scopes.caller(ctx))));
        }
    }

    /** Every /v1 call needs a known token once tokens are configured; /metrics too unless left open. */
    private static void authenticate(Context ctx, AccessControl access) {
        boolean metrics = ctx.path().equals("/metrics");
        if (ctx.path().startsWith("/v1/") || (metrics && !access.isMetricsOpen())) {
            Caller caller = access.authenticate(ctx.header("Authorization"));
            if (metrics && caller.role() == Role.CLIENT) {
                throw new ForbiddenException("scraping needs a metrics or admin token");
            }
            ctx.attribute(Scopes.CALLER, caller);
        }
    }

    /** /v1 requests per second per token; an open broker has no tokens to tell callers apart by. */
    private static void throttle(Context ctx, RateLimiter rate, HttpSettings settings) {
        Caller caller = Scopes.caller(ctx);
        if (!ctx.path().startsWith("/v1/") || Caller.OPEN.equals(caller)) {
            return;
        }
        if (!rate.tryAcquire(caller.name(), System.nanoTime())) {
            settings.limitRefusals().accept("requests_per_token");
            throw new RateLimitedException(settings.requestsPerSecondPerToken());
        }
    }

    private static void tagRequest(Context ctx) {
        String id = EdgeErrors.requestId(ctx.header(EdgeErrors.REQUEST_ID_HEADER));
        MDC.put(REQUEST_ID, id);
        ctx.header(EdgeErrors.REQUEST_ID_HEADER, id);
    }

    private static void observe(RequestObserver observer, Context ctx, float millis) {
        try {
            Endpoint matched = ctx.endpoints().lastHttpEndpoint();
            String route = matched == null ? "unmatched" : matched.path;
            observer.observe(ctx.method().name(), route, ctx.statusCode(), (long) (millis * 1_000_000));
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }
}
