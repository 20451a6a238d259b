package dev.lockbroker.http;

/** Told of every answered request, e.g. for HTTP server metrics. */
@FunctionalInterface
public interface RequestObserver {
    void observe(String method, String routePattern, int status, long nanos);

    RequestObserver NONE = (method, route, status, nanos) -> {};
}
