package dev.lockbroker.http;

import java.util.function.Supplier;

/**
 * What the HTTP adapter needs besides the core: the long-poll window, an optional bearer token,
 * request observation and the metrics scrape ({@code null} when metrics are off).
 */
public record HttpSettings(
        long longPollMillis, String bearerToken, RequestObserver observer, Supplier<String> metricsScrape) {
    public static final int MAX_BODY_BYTES = 64 * 1024;
}
