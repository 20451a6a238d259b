package dev.lockbroker.http;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the HTTP adapter needs besides the core: the long-poll window, the tokens and their scopes
 * ({@code null}: open),
 * request observation, the metrics scrape ({@code null} when metrics are off) and the deadline for
 * a request's head to arrive, the rate limit per token, and who counts refusals by limit.
 */
public record HttpSettings(
        long longPollMillis,
        AccessControl access,
        RequestObserver observer,
        Supplier<String> metricsScrape,
        long headerTimeoutMillis,
        int requestsPerSecondPerToken,
        Consumer<String> limitRefusals) {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_REQUESTS_PER_SECOND_PER_TOKEN = 1_000;

    /** The defaults for everything but the essentials. */
    public HttpSettings(
            long longPollMillis,
            AccessControl access,
            RequestObserver observer,
            Supplier<String> metricsScrape,
            long headerTimeoutMillis) {
        this(
                longPollMillis,
                access,
                observer,
                metricsScrape,
                headerTimeoutMillis,
                DEFAULT_REQUESTS_PER_SECOND_PER_TOKEN,
                limit -> {});
    }

    public HttpSettings(
            long longPollMillis, String bearerToken, RequestObserver observer, Supplier<String> metricsScrape) {
        this(
                longPollMillis,
                AccessControl.of(null, bearerToken),
                observer,
                metricsScrape,
                DEFAULT_HEADER_TIMEOUT_MILLIS);
    }
}
