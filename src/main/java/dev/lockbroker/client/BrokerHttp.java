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

    private final URI baseUrl;
    private final Optional<String> bearerToken;
    private final HttpClient http;

    BrokerHttp(URI baseUrl, Optional<String> bearerToken) {
        this(baseUrl, bearerToken, null);
    }

    /** With {@code trust} ({@code null}: the JDK's default trust store) for an https URL. */
    BrokerHttp(URI baseUrl, Optional<String> bearerToken, javax.net.ssl.SSLContext trust) {
        this.baseUrl = baseUrl;
        this.bearerToken = bearerToken.filter(t -> !t.isBlank());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equals(baseUrl.getScheme())) {
            builder.sslContext(PlainHttpOnly.SSL_CONTEXT);
        } else if (trust != null) {
            builder.sslContext(trust);
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

    /** Sends {@code method} to {@code path} (absolute or relative to the base URL), waiting at most {@code timeout}. */
    BrokerReply send(String method, String path, JsonNode body, Duration timeout) throws InterruptedException {
        URI target = resolve(path);
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
            String tls = ClientTls.explain(e, baseUrl);
            throw new BrokerUnavailableException(
                    baseUrl, "cannot reach the broker at " + baseUrl + ": " + (tls == null ? describe(e) : tls), e);
        }
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
