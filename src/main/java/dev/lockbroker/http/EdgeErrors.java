package dev.lockbroker.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers written by the edge itself, before or outside Javalin's routing (Jetty's parse errors, a
 * refused body): the same {@code {error, message}} JSON with an {@code X-Request-Id}, and only
 * statuses that openapi.yaml declares for every operation.
 */
final class EdgeErrors {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** What an edge refusal may answer; any other status Jetty picks (417, 426, 501, 505) becomes 400. */
    private static final Set<Integer> DECLARED = Set.of(400, 404, 405, 413, 414, 431, 503);

    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeErrors() {}

    /** The caller's request id when it is a sane token, otherwise a fresh one. */
    static String requestId(String given) {
        return given != null && SANE_REQUEST_ID.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
    }

    static int declaredStatus(int status) {
        return DECLARED.contains(status) ? status : 400;
    }

    static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 503 -> "shutting_down";
            default -> "invalid_request";
        };
    }

    /** Writes {@code status} (mapped to a declared one) as JSON and completes {@code callback}. */
    static void write(Request request, Response response, Callback callback, int status, String message) {
        int declared = declaredStatus(status);
        response.setStatus(declared);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put(REQUEST_ID_HEADER, requestId(request.getHeaders().get(REQUEST_ID_HEADER)));
        byte[] body = body(declared, message);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, ByteBuffer.allocate(0), callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    private static byte[] body(int status, String message) {
        try {
            return JSON.writeValueAsBytes(ApiError.of(code(status), message == null ? "bad request" : message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
