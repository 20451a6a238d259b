package dev.lockbroker.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockbroker.core.Holder;
import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.Mode;
import dev.lockbroker.core.WaiterView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's JSON, read and written through Jackson's tree model (no reflective binding, which is
 * cheaper at start-up). Unknown fields are ignored.
 */
final class WireJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private WireJson() {}

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the broker answered malformed JSON", e);
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final int FIRST_REPLY_MILLIS = 300;

    static ObjectNode acquireBody(LockRequest request, long waitSeconds, String requestId) {
        ObjectNode body = MAPPER.createObjectNode();
        if (request.key().shard() != null) {
            body.put("shard", request.key().shard());
        }
        body.put("mode", request.mode().wireName());
        body.put("ttlSeconds", request.ttl().toSeconds());
        body.put("waitSeconds", waitSeconds);
        body.set("holder", holder(request.holder()));
        body.put("requestId", requestId);
        // A short first answer, so a waiter shows its place, its holder and an ETA at once.
        body.put("replyWithinMillis", FIRST_REPLY_MILLIS);
        return body;
    }

    static String write(LeaseInfo lease) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("leaseId", lease.leaseId());
        body.put("namespace", lease.namespace());
        body.put("shard", lease.shard());
        body.put("mode", lease.mode().wireName());
        body.put("fencingToken", lease.fencingToken());
        body.put("ttlSeconds", lease.ttlSeconds());
        body.put("grantedAt", lease.grantedAt().toString());
        body.put("expiresAt", lease.expiresAt().toString());
        body.set("holder", holder(lease.holder()));
        return write(body);
    }

    static LeaseInfo lease(JsonNode n) {
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

    static TicketInfo ticket(JsonNode n) {
        JsonNode eta = n.path("etaSeconds");
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

    static List<HolderView> holders(JsonNode array) {
        List<HolderView> views = new ArrayList<>();
        for (JsonNode n : array) {
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

    static NamespaceStatus namespaceStatus(JsonNode n) {
        List<KeyStatus> keys = new ArrayList<>();
        for (JsonNode key : n.path("locks")) {
            keys.add(new KeyStatus(
                    textOrNull(key.path("shard")), holders(key.path("holders")), waiters(key.path("queue"))));
        }
        return new NamespaceStatus(
                n.path("namespace").asText(),
                n.path("holders").asInt(),
                n.path("waiting").asInt(),
                keys);
    }

    static List<NamespaceSummary> namespaces(JsonNode n) {
        List<NamespaceSummary> summaries = new ArrayList<>();
        for (JsonNode s : n.path("namespaces")) {
            summaries.add(new NamespaceSummary(
                    s.path("namespace").asText(),
                    s.path("holders").asInt(),
                    s.path("waiting").asInt()));
        }
        return summaries;
    }

    private static List<WaiterView> waiters(JsonNode array) {
        List<WaiterView> views = new ArrayList<>();
        for (JsonNode n : array) {
            views.add(new WaiterView(
                    textOrNull(n.path("shard")),
                    n.path("position").asInt(),
                    Mode.parse(n.path("mode").asText()),
                    holder(n.path("holder")),
                    Math.round(n.path("waitedSeconds").asDouble() * 1000)));
        }
        return views;
    }

    private static ObjectNode holder(Holder holder) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", holder.name());
        node.put("host", holder.host());
        if (holder.pid() != null) {
            node.put("pid", holder.pid());
        }
        return node;
    }

    private static Holder holder(JsonNode n) {
        JsonNode pid = n.path("pid");
        String name = n.path("name").asText();
        return new Holder(
                name.isBlank() ? "?" : name, textOrNull(n.path("host")), pid.isNumber() ? pid.asLong() : null);
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
