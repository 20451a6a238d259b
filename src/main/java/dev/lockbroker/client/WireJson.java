package dev.lockbroker.client;

import dev.lockbroker.core.Holder;
import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.Mode;
import dev.lockbroker.core.WaiterView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's JSON, read and written as {@link JsonValue}s (no Jackson: loading it was most of a
 * short command's start-up). Unknown fields are ignored.
 */
final class WireJson {
    private WireJson() {}

    static JsonValue parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonValue.MISSING;
        }
        try {
            return JsonReader.read(body);
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException("the broker answered malformed JSON", new IOException(e.getMessage(), e));
        }
    }

    static String pretty(JsonValue node) {
        return node.pretty();
    }

    /** An object of alternating names and values (String, Long, Integer, JsonValue or null). */
    static JsonValue object(Object... namesAndValues) {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], value(namesAndValues[i + 1]));
        }
        return JsonValue.object(fields);
    }

    // An instanceof chain, not a type switch: a switch on types spins a class at run time, which the
    // ahead-of-time cache cannot hold, and costs a short command milliseconds.
    private static JsonValue value(Object v) {
        if (v == null) {
            return JsonValue.NULL;
        } else if (v instanceof JsonValue json) {
            return json;
        } else if (v instanceof String text) {
            return JsonValue.string(text);
        } else if (v instanceof Number n) {
            return JsonValue.number(n.longValue());
        }
        throw new IllegalArgumentException("not a JSON value: " + v);
    }

    static final int FIRST_REPLY_MILLIS = 300;

    static String acquireBody(LockRequest request, long waitSeconds, String requestId) {
        Map<String, JsonValue> body = new LinkedHashMap<>();
        if (request.key().shard() != null) {
            body.put("shard", JsonValue.string(request.key().shard()));
        }
        body.put("mode", JsonValue.string(request.mode().wireName()));
        body.put("ttlSeconds", JsonValue.number(request.ttl().toSeconds()));
        body.put("waitSeconds", JsonValue.number(waitSeconds));
        body.put("holder", holder(request.holder()));
        body.put("requestId", JsonValue.string(requestId));
        // A short first answer, so a waiter shows its place, its holder and an ETA at once.
        body.put("replyWithinMillis", JsonValue.number(FIRST_REPLY_MILLIS));
        return JsonValue.object(body).toString();
    }

    static String write(LeaseInfo lease) {
        return object(
                        "leaseId", lease.leaseId(),
                        "namespace", lease.namespace(),
                        "shard", lease.shard(),
                        "mode", lease.mode().wireName(),
                        "fencingToken", lease.fencingToken(),
                        "ttlSeconds", lease.ttlSeconds(),
                        "grantedAt", lease.grantedAt().toString(),
                        "expiresAt", lease.expiresAt().toString(),
                        "holder", holder(lease.holder()))
                .toString();
    }

    static LeaseInfo lease(JsonValue n) {
        return new LeaseInfo(
                n.path("leaseId").asText(),
                n.path("namespace").asText(),
                textOrNull(n.path("shard")),
                Mode.parse(n.path("mode").asText()),
                n.path("fencingToken").asLong(),
                n.path("ttlSeconds").asLong(),
                Instant.parse(n.path("grantedAt").asText()),
                Instant.parse(n.path("expiresAt").asText()),
                holder(n.path("holder")));
    }

    static TicketInfo ticket(JsonValue n) {
        JsonValue eta = n.path("etaSeconds");
        return new TicketInfo(
                n.path("ticketId").asText(),
                n.path("namespace").asText(),
                textOrNull(n.path("shard")),
                Mode.parse(n.path("mode").asText()),
                n.path("position").asInt(),
                n.path("ahead").asInt(),
                eta.isNumber() ? eta.asDouble() : null,
                n.path("etaExceedsDeadline").asBoolean(),
                n.path("waitedSeconds").asDouble(),
                Instant.parse(n.path("deadline").asText()),
                holders(n.path("holders")));
    }

    static List<HolderView> holders(JsonValue array) {
        List<HolderView> views = new ArrayList<>();
        for (JsonValue n : array) {
            views.add(new HolderView(
                    textOrNull(n.path("shard")),
                    Mode.parse(n.path("mode").asText()),
                    holder(n.path("holder")),
                    n.path("fencingToken").asLong(),
                    Math.round(n.path("heldSeconds").asDouble() * 1000),
                    Instant.parse(n.path("expiresAt").asText()).toEpochMilli()));
        }
        return views;
    }

    static NamespaceStatus namespaceStatus(JsonValue n) {
        List<KeyStatus> keys = new ArrayList<>();
        for (JsonValue key : n.path("locks")) {
            keys.add(new KeyStatus(
                    textOrNull(key.path("shard")), holders(key.path("holders")), waiters(key.path("queue"))));
        }
        return new NamespaceStatus(
                n.path("namespace").asText(),
                n.path("holders").asInt(),
                n.path("waiting").asInt(),
                keys);
    }

    static List<NamespaceSummary> namespaces(JsonValue n) {
        List<NamespaceSummary> summaries = new ArrayList<>();
        for (JsonValue s : n.path("namespaces")) {
            summaries.add(new NamespaceSummary(
                    s.path("namespace").asText(),
                    s.path("holders").asInt(),
                    s.path("waiting").asInt()));
        }
        return summaries;
    }

    private static List<WaiterView> waiters(JsonValue array) {
        List<WaiterView> views = new ArrayList<>();
        for (JsonValue n : array) {
            views.add(new WaiterView(
                    textOrNull(n.path("shard")),
                    n.path("position").asInt(),
                    Mode.parse(n.path("mode").asText()),
                    holder(n.path("holder")),
                    Math.round(n.path("waitedSeconds").asDouble() * 1000)));
        }
        return views;
    }

    private static JsonValue holder(Holder holder) {
        return holder.pid() == null
                ? object("name", holder.name(), "host", holder.host())
                : object("name", holder.name(), "host", holder.host(), "pid", holder.pid());
    }

    private static Holder holder(JsonValue n) {
        JsonValue pid = n.path("pid");
        String name = n.path("name").asText();
        return new Holder(
                name.isBlank() ? "?" : name, textOrNull(n.path("host")), pid.isNumber() ? pid.asLong() : null);
    }

    private static String textOrNull(JsonValue n) {
        return n.isTextual() ? n.asText() : null;
    }
}
