package dev.lockbroker.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Exchanges over the JDK's HttpClient: the library's transport, and the CLI's for https. */
final class JdkHttpTransport implements HttpTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;

    /** {@code trust}: the certificates an https broker may present ({@code null}: the JDK's trust store). */
    JdkHttpTransport(URI baseUrl, javax.net.ssl.SSLContext trust) {
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
     * otherwise loads the default context and its trust store at start-up.
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

    @Override
    public Answer exchange(String method, URI target, String body, Optional<String> bearerToken, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Location").orElse(null));
    }
}
