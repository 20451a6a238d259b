package dev.lockbroker.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * JSON over HTTP/1.1 to one broker. Transport failures become {@link BrokerUnavailableException}
 * naming the URL; answers of any status are returned as they are, for the caller to interpret.
 * Thread-safe: the JDK client is, and this holds no other state.
 */
final class BrokerHttp {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Hops a request follows: owners change rarely, so more means brokers disagree; the caller retries. */
    static final int MAX_REDIRECTS = 3;

    private final URI baseUrl;
    private final Optional<String> bearerToken;
    private final HttpClient http;

    BrokerHttp(URI baseUrl, Optional<String> bearerToken) {
        this.baseUrl = baseUrl;
        this.bearerToken = bearerToken.filter(t -> !t.isBlank());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equals(baseUrl.getScheme())) {
            builder.sslContext(PlainHttpOnly.SSL_CONTEXT);
        }
        this.http = builder.build();
    }

    /**
     * An SSL context that trusts nothing, for a client that only speaks plain HTTP: the JDK client
     * otherwise loads the default context and its trust store at start-up, a large part of a short
     * CLI run.
     */
    private static final class PlainHttpOnly {
        static final javax.net.ssl.SSLContext SSL_CONTEXT = create();

        private static javax.net.ssl.SSLContext create() {
            try {
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
                return context;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    URI baseUrl() {
        return baseUrl;
    }

    /**
     * Sends {@code method} to {@code path} (absolute or relative to the base URL), waiting at most
     * {@code timeout} in all. A 307 from a broker of a group names the namespace's owner: the same
     * request (method and body) goes there, at most {@link #MAX_REDIRECTS} times. An owner named by a
     * redirect that cannot be reached answers as a broker that is unavailable (503) would, so callers
     * retry through the base URL, which learns the new owner.
     */
    BrokerReply send(String method, String path, JsonNode body, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BrokerReply reply = sendOnce(method, resolve(path), body, timeout);
        for (int hop = 0; reply.status() == 307 && reply.location() != null && hop < MAX_REDIRECTS; hop++) {
            URI owner = resolve(reply.location());
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            try {
                reply = sendOnce(method, owner, body, left);
            } catch (BrokerUnavailableException e) {
                return new BrokerReply(503, unreachableOwner(e), null);
            }
        }
        return reply;
    }

    private BrokerReply sendOnce(String method, URI target, JsonNode body, Duration timeout)
            throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(WireJson.write(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new BrokerReply(
                    response.statusCode(),
                    WireJson.parse(response.body()),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            URI base = URI.create(target.getScheme() + "://" + target.getRawAuthority());
            throw new BrokerUnavailableException(base, "cannot reach the broker at " + base + ": " + describe(e), e);
        }
    }

    private static JsonNode unreachableOwner(BrokerUnavailableException e) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("error", "store_unavailable")
                .put("message", "the owner named by the redirect is unreachable: " + e.getMessage());
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
