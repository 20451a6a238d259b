package dev.lockbroker.metrics;

import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server histogram {@code lockbroker_http_server_requests_seconds} {method, route, status}.
 * The route is the matched route pattern ({@code /v1/namespaces/{namespace}/leases}), never the raw path; a
 * request that matched no route is recorded as {@code unmatched}, and a method outside the standard
 * ones as {@code OTHER}, so the label values stay bounded. Thread-safe.
 */
public final class HttpServerMetrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterProvider<Timer> requests;

    public HttpServerMetrics(MeterRegistry registry) {
        this.requests = Timer.builder(MeterNames.HTTP_SERVER_REQUESTS_SECONDS)
                .description("HTTP requests served, by method, route pattern and status")
                .serviceLevelObjectives(MeterNames.asArray(MeterNames.LOCK_BUCKETS))
                .withRegistry(registry);
    }

    /** Records one request; the shape of the http package's {@code RequestObserver}. */
    public void observe(String method, String routePattern, int status, long nanos) {
        String m = method != null && METHODS.contains(method) ? method : "OTHER";
        String route = routePattern == null || routePattern.isBlank() ? "unmatched" : routePattern;
        requests.withTags("method", m, "route", route, "status", Integer.toString(status))
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
