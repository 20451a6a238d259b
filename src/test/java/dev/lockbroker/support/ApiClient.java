package dev.lockbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A test's HTTP client for the broker: real sockets, and every response checked against
 * openapi.yaml before the test sees it.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createForSpecificationUrl(
                    Path.of("openapi.yaml").toUri().toString())
            .build();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private boolean validating = true;

    public ApiClient(String base) {
        this.base = base;
    }

    /** For requests outside the contract (unknown routes); still real sockets. */
    public ApiClient unvalidated() {
        this.validating = false;
        return this;
    }

    public ApiClient withToken(String token) {
        this.token = token;
        return this;
    }

    /** A response: status, JSON body (or null) and the Location header. */
    public record Reply(int status, JsonNode body, String location, String raw) {
        public String text(String field) {
            return body.path(field).asText();
        }
    }

    public Reply post(String path, String json) {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json == null ? "" : json), json != null);
    }

    public Reply get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), false);
    }

    public Reply delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), false);
    }

    public Reply acquire(String namespace, String json) {
        return post("/v1/namespaces/" + namespace + "/leases", json);
    }

    public Reply send(String method, String path, HttpRequest.BodyPublisher body, boolean isJson) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body);
        if (isJson) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (validating) {
                validate(method, path, response);
            }
            String raw = response.body();
            JsonNode node = raw == null || raw.isEmpty() || !raw.startsWith("{") ? null : JSON.readTree(raw);
            return new Reply(
                    response.statusCode(),
                    node,
                    response.headers().firstValue("Location").orElse(null),
                    raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void validate(String method, String path, HttpResponse<String> response) {
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        var builder = SimpleResponse.Builder.status(response.statusCode());
        response.headers().firstValue("Content-Type").ifPresent(builder::withContentType);
        if (!response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        var report = VALIDATOR.validateResponse(pathOnly, Request.Method.valueOf(method), builder.build());
        assertThat(report.hasErrors())
                .as(
                        "%s %s -> %d %s violates openapi.yaml: %s",
                        method, path, response.statusCode(), response.body(), report)
                .isFalse();
        assertThat(response.headers().firstValue("X-Request-Id"))
                .as("X-Request-Id on %s %s", method, path)
                .isPresent();
    }
}
