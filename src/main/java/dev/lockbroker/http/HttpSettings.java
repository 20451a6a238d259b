package dev.lockbroker.http;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the HTTP adapter needs besides the core: the long-poll window, the tokens and their scopes
 * ({@code null}: open), request observation, the metrics scrape ({@code null} when metrics are
 * off), the deadline for a request's head to arrive, the rate limit and the queued-ticket limit per
 * token, who counts refusals by limit, and TLS ({@code null}: plain HTTP).
 */
public record HttpSettings(
        long longPollMillis,
        AccessControl access,
        RequestObserver observer,
        Supplier<String> metricsScrape,
        long headerTimeoutMillis,
        int requestsPerSecondPerToken,
        Consumer<String> limitRefusals,
        int maxQueuedPerToken,
        TlsSettings tls) {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_REQUESTS_PER_SECOND_PER_TOKEN = 1_000;
    /**
     * Queued tickets one token may hold at once: as many as one namespace may queue, so that one
     * token long-polling all of them (~0.5 KiB per ticket plus the parked request) stays far inside
     * a 512 MiB heap, and the total of 300,000 is shared by at least 30 tokens.
     */
    public static final int DEFAULT_MAX_QUEUED_PER_TOKEN = 10_000;

    public HttpSettings {
        if (maxQueuedPerToken < 1) {
            throw new IllegalArgumentException("--max-queued-per-token must be at least 1");
        }
    }

    /** These settings serving HTTPS. */
    public HttpSettings withTls(TlsSettings tlsSettings) {
        return copy(maxQueuedPerToken, tlsSettings);
    }

    /** These settings with another limit of queued tickets per token. */
    public HttpSettings withMaxQueuedPerToken(int max) {
        return copy(max, tls);
    }

    private HttpSettings copy(int max, TlsSettings tlsSettings) {
        return new HttpSettings(
                longPollMillis,
                access,
                observer,
                metricsScrape,
                headerTimeoutMillis,
                requestsPerSecondPerToken,
                limitRefusals,
                max,
                tlsSettings);
    }

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
                limit -> {},
                DEFAULT_MAX_QUEUED_PER_TOKEN,
                null);
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
