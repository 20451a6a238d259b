package dev.lockbroker.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * JSON over HTTP/1.1 to one broker. Transport failures become {@link BrokerUnavailableException}
 * naming the URL; answers of any status are returned as they are, for the caller to interpret.
 * Thread-safe: the transports are, and this holds no other state.
 */
final class BrokerHttp {
    /** Hops a request follows: owners change rarely, so more means brokers disagree; the caller retries. */
    static final int MAX_REDIRECTS = 3;

    private final URI baseUrl;
    private final Optional<String> bearerToken;
    private final HttpTransport transport;

    /** Over the JDK's HttpClient. */
    BrokerHttp(URI baseUrl, Optional<String> bearerToken) {
        this(baseUrl, bearerToken, new JdkHttpTransport(baseUrl, null));
    }

    /** Over the JDK's HttpClient, trusting {@code trust} ({@code null}: the JDK's trust store) for https. */
    BrokerHttp(URI baseUrl, Optional<String> bearerToken, javax.net.ssl.SSLContext trust) {
        this(baseUrl, bearerToken, new JdkHttpTransport(baseUrl, trust));
    }

    BrokerHttp(URI baseUrl, Optional<String> bearerToken, HttpTransport transport) {
        this.baseUrl = baseUrl;
        this.bearerToken = bearerToken.filter(t -> !t.isBlank());
        this.transport = transport;
    }

    URI baseUrl() {
        return baseUrl;
    }

    /**
     * Sends {@code method} to {@code path} (absolute or relative to the base URL) with the JSON
     * {@code body} (null for none), waiting at most {@code timeout} in all. A 307 from a broker of a
     * group names the namespace's owner: the same request (method and body) goes there, at most
     * {@link #MAX_REDIRECTS} times. An owner named by a redirect that cannot be reached, or on another
     * scheme than the base URL (the bearer token goes along), answers as a broker that is unavailable
     * (503) would, so callers retry through the base URL, which learns the new owner.
     */
    BrokerReply send(String method, String path, String body, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BrokerReply reply = sendOnce(method, resolve(path), body, timeout);
        for (int hop = 0; reply.status() == 307 && reply.location() != null && hop < MAX_REDIRECTS; hop++) {
            URI owner = resolve(reply.location());
            if (!owner.getScheme().equalsIgnoreCase(baseUrl.getScheme())) {
                // The bearer token goes with the request: never from https to http, nor to a scheme
                // the transport chosen for the base URL does not speak.
                return new BrokerReply(503, refusedRedirect(owner), null);
            }
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            try {
                reply = sendOnce(method, owner, body, left);
            } catch (BrokerUnavailableException e) {
                return new BrokerReply(503, unreachableOwner(e), null);
            }
        }
        return reply;
    }

    private BrokerReply sendOnce(String method, URI target, String body, Duration timeout) throws InterruptedException {
        try {
            HttpTransport.Answer answer = transport.exchange(method, target, body, bearerToken, timeout);
            return new BrokerReply(answer.status(), WireJson.parse(answer.body()), answer.location());
        } catch (IOException e) {
            URI base = URI.create(target.getScheme() + "://" + target.getRawAuthority());
            String tls = ClientTls.explain(e, base);
            throw new BrokerUnavailableException(
                    base, "cannot reach the broker at " + base + ": " + (tls == null ? describe(e) : tls), e);
        }
    }

    private JsonValue refusedRedirect(URI owner) {
        return WireJson.object(
                "error",
                "store_unavailable",
                "message",
                "refused a redirect from " + baseUrl.getScheme() + " to " + owner
                        + ": the brokers of a group must all speak " + baseUrl.getScheme());
    }

    private static JsonValue unreachableOwner(BrokerUnavailableException e) {
        return WireJson.object(
                "error",
                "store_unavailable",
                "message",
                "the owner named by the redirect is unreachable: " + e.getMessage());
    }

    /** The exception that an unexpected answer stands for. */
    LockClientException failure(BrokerReply reply) {
        return switch (reply.status()) {
            case 503 ->
                new BrokerUnavailableException(
                        baseUrl, "the broker at " + baseUrl + " is unavailable: " + reply.message(), null);
            default -> new BrokerRejectedException(reply.status(), reply.error(), reply.message());
        };
    }

    private URI resolve(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        String base = baseUrl.toString();
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + (path.startsWith("/") ? path : "/" + path));
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
