package dev.lockbroker.edge;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the edge promises for any input: never a 5xx; every response has an {@code X-Request-Id};
 * every body is JSON (errors as {@code {error, message}}); and the status is one openapi.yaml
 * declares for the operation, or, for a request that names no operation, one of the edge's own.
 */
public final class EdgeVerdict {
    /** Statuses any request may get before it reaches an operation: malformed, unknown or too large. */
    static final Set<Integer> EDGE_STATUSES = Set.of(400, 404, 405, 413, 414, 431);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiInteractionValidator SPEC = OpenApiInteractionValidator.createForSpecificationUrl(
                    Path.of("openapi.yaml").toUri().toString())
            .build();

    /** Tallies of a run, for the long main and for the record of how old code fared. */
    public static final class Tally {
        public int requests;
        public int responses;
        public int serverErrors;
        public int nonJson;
        public int missingRequestId;
        public int undeclared;
        public final List<String> examples = new ArrayList<>();
        public final java.util.SortedMap<Integer, Integer> statuses = new java.util.TreeMap<>();

        @Override
        public String toString() {
            return "requests=" + requests + " responses=" + responses + " 5xx=" + serverErrors + " nonJson=" + nonJson
                    + " missingRequestId=" + missingRequestId + " undeclared=" + undeclared + " statuses=" + statuses;
        }
    }

    private EdgeVerdict() {}

    /** The problems with {@code responses} to {@code raw}; empty when the edge kept its promise. */
    public static List<String> problems(EdgeRequests.Raw raw, List<RawHttp.Response> responses, Tally tally) {
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (RawHttp.Response r : responses) {
            if (r.status() >= 100 && r.status() < 200) {
                continue;
            }
            String method = index < raw.methods().size() ? raw.methods().get(index) : "?";
            String path = index < raw.paths().size() ? raw.paths().get(index) : "?";
            index++;
            tally.responses++;
            tally.statuses.merge(r.status(), 1, Integer::sum);
            check(method, path, r, problems, tally);
        }
        return problems;
    }

    static void check(String method, String path, RawHttp.Response r, List<String> problems, Tally tally) {
        String where = method + " " + abbreviate(path) + " -> " + r.status() + " " + abbreviate(r.bodyText());
        if (r.status() >= 500 || r.status() < 100) {
            tally.serverErrors++;
            problems.add("5xx or no status: " + where);
        }
        if (r.header("X-Request-Id") == null) {
            tally.missingRequestId++;
            problems.add("no X-Request-Id: " + where);
        }
        boolean bodyless = method.equals("HEAD") || r.status() == 204;
        if (!bodyless && !isJsonError(r) && !isJsonSuccess(r)) {
            tally.nonJson++;
            problems.add("not JSON {error, message}: " + where + " content-type=" + r.header("Content-Type"));
        }
        if (!isDeclared(method, path, r)) {
            tally.undeclared++;
            problems.add("status not declared for the operation: " + where);
        }
    }

    private static boolean isJsonSuccess(RawHttp.Response r) {
        return r.status() < 400 && isJsonType(r) && parse(r) != null;
    }

    private static boolean isJsonError(RawHttp.Response r) {
        JsonNode body = isJsonType(r) ? parse(r) : null;
        return r.status() >= 400
                && body != null
                && body.path("error").isTextual()
                && body.path("message").isTextual();
    }

    private static boolean isJsonType(RawHttp.Response r) {
        String type = r.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private static JsonNode parse(RawHttp.Response r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean isDeclared(String method, String rawPath, RawHttp.Response r) {
        String path = routedPath(rawPath);
        Request.Method m = method(method.equals("HEAD") ? "GET" : method);
        if (m == null || path == null) {
            return EDGE_STATUSES.contains(r.status());
        }
        var response = SimpleResponse.Builder.status(r.status());
        if (r.header("Content-Type") != null) {
            response.withContentType(r.header("Content-Type"));
        }
        if (r.body().length > 0) {
            response.withBody(r.bodyText());
        }
        ValidationReport report = SPEC.validateResponse(path, m, response.build());
        boolean noOperation = report.getMessages().stream()
                .anyMatch(msg ->
                        msg.getKey().endsWith("path.missing") || msg.getKey().endsWith("operation.notAllowed"));
        if (noOperation) {
            return EDGE_STATUSES.contains(r.status());
        }
        if (method.equals("HEAD")) {
            return !report.getMessages().stream().anyMatch(msg -> msg.getKey().contains("status.unknown"))
                    || EDGE_STATUSES.contains(r.status());
        }
        // Edge statuses are declared on every operation in openapi.yaml; the validator checks the body too.
        return !report.hasErrors();
    }

    /**
     * The path as the router sees it: no scheme and authority, no query, no trailing slash; null
     * when an empty segment means no route can match (the spec would match it with an empty name).
     */
    private static String routedPath(String raw) {
        String path = raw.replaceFirst("^https?://[^/]*", "");
        path = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return !path.startsWith("/") || path.contains("//") ? null : path;
    }

    private static Request.Method method(String name) {
        try {
            return Request.Method.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
