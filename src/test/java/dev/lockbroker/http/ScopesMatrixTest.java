package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens x roles x namespaces x every operation, over real sockets and validated against
 * openapi.yaml: exactly 401 without a known token, 403 outside the token's role or namespaces
 * (changing nothing), the operation's own answer otherwise; listings and metrics follow the scopes.
 */
class ScopesMatrixTest {
    private static final List<String> TOKENS = List.of("none", "bogus", "alpha-client", "alpha-admin", "ops", "prom");
    private static final List<String> NAMESPACES = List.of("alpha", "beta");
    private static final AtomicInteger SHARDS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static InProcessBroker broker;
    private static Path tokenFile;

    /** An operation on a fresh fixture in {@code namespace}; answers its status. */
    private record Operation(
            String name, int allowedStatus, boolean admin, BiFunction<ApiClient, Fixture, Integer> call) {}

    /** A lease held and a ticket queued behind it, made by the admin token. */
    private record Fixture(String namespace, String shard, String leaseId, String ticketId) {}

    private static final List<Operation> OPERATIONS = List.of(
            new Operation(
                    "acquire",
                    201,
                    false,
                    (api, f) -> api.acquire(f.namespace(), body("free-" + f.shard(), 0))
                            .status()),
            new Operation(
                    "locks",
                    200,
                    false,
                    (api, f) -> api.get("/v1/namespaces/" + f.namespace() + "/locks")
                            .status()),
            new Operation(
                    "poll",
                    202,
                    false,
                    (api, f) -> api.get("/v1/tickets/" + f.ticketId() + "?waitSeconds=0")
                            .status()),
            new Operation(
                    "cancel",
                    204,
                    false,
                    (api, f) -> api.delete("/v1/tickets/" + f.ticketId()).status()),
            new Operation(
                    "heartbeat",
                    200,
                    false,
                    (api, f) -> api.post("/v1/leases/" + f.leaseId() + "/heartbeat", null)
                            .status()),
            new Operation(
                    "release",
                    204,
                    false,
                    (api, f) -> api.delete("/v1/leases/" + f.leaseId()).status()),
            new Operation(
                    "revoke",
                    204,
                    true,
                    (api, f) -> api.post("/v1/leases/" + f.leaseId() + "/revoke", "{\"reason\":\"matrix\"}")
                            .status()),
            new Operation(
                    "revokeKey",
                    200,
                    true,
                    (api, f) -> api.delete(
                                    "/v1/namespaces/" + f.namespace() + "/locks?shard=" + f.shard() + "&reason=matrix")
                            .status()));

    @BeforeAll
    static void start() throws Exception {
        tokenFile = dir.resolve("tokens.json");
        Files.writeString(tokenFile, tokens(Map.of()));
        HttpSettings settings = new HttpSettings(
                20, AccessControl.of(tokenFile, null), RequestObserver.NONE, () -> "# scrape\n", 10_000);
        broker = new InProcessBroker(new FileLeaseLog(dir), settings, 3_000, LockEventListener.NONE);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String tokens(Map<String, String> extra) {
        StringBuilder json = new StringBuilder("{\"tokens\":[");
        json.append(entry("alpha-client", "client", "[\"alpha*\"]")).append(',');
        json.append(entry("alpha-admin", "admin", "[\"alpha\"]")).append(',');
        json.append(entry("ops", "admin", "[\"*\"]")).append(',');
        json.append(entry("prom", "metrics", "[\"*\"]"));
        extra.forEach((name, role) -> json.append(',').append(entry(name, role, "[\"*\"]")));
        return json.append("]}").toString();
    }

    private static String entry(String name, String role, String namespaces) {
        String hash = HexFormat.of().formatHex(AccessControl.sha256("secret-" + name));
        return "{\"name\":\"" + name + "\",\"sha256\":\"" + hash + "\",\"role\":\"" + role + "\",\"namespaces\":"
                + namespaces + "}";
    }

    private static final Map<String, ApiClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static ApiClient as(String token) {
        return CLIENTS.computeIfAbsent(token, t -> {
            ApiClient api = new ApiClient(broker.url());
            return t.equals("none") ? api : api.withToken("secret-" + t);
        });
    }

    private static String body(String shard, int waitSeconds) {
        return "{\"shard\":\"" + shard + "\",\"mode\":\"exclusive\",\"waitSeconds\":" + waitSeconds
                + ",\"holder\":{\"name\":\"matrix\",\"host\":\"h\",\"pid\":1}}";
    }

    private static Fixture fixture(String namespace) {
        ApiClient ops = as("ops");
        String shard = "s" + SHARDS.incrementAndGet();
        var lease = ops.acquire(namespace, body(shard, 0));
        var ticket = ops.acquire(namespace, body(shard, 60));
        assertThat(lease.status()).isEqualTo(201);
        assertThat(ticket.status()).isEqualTo(202);
        return new Fixture(namespace, shard, lease.text("leaseId"), ticket.text("ticketId"));
    }

    private static int expected(String token, String namespace, Operation op) {
        return switch (token) {
            case "none", "bogus" -> 401;
            case "prom" -> 403;
            case "alpha-client" -> namespace.equals("alpha") && !op.admin() ? op.allowedStatus() : 403;
            case "alpha-admin" -> namespace.equals("alpha") ? op.allowedStatus() : 403;
            default -> op.allowedStatus();
        };
    }

    @Test
    void every_token_role_namespace_and_operation_gets_exactly_its_answer() {
        for (String token : TOKENS) {
            for (String namespace : NAMESPACES) {
                for (Operation op : OPERATIONS) {
                    Fixture f = fixture(namespace);
                    int expected = expected(token, namespace, op);
                    assertThat(op.call().apply(as(token), f))
                            .as("%s as %s in %s", op.name(), token, namespace)
                            .isEqualTo(expected);
                    if (expected == 401 || expected == 403) {
                        assertThat(as("ops")
                                        .post("/v1/leases/" + f.leaseId() + "/heartbeat", null)
                                        .status())
                                .as("a refused %s as %s changed nothing", op.name(), token)
                                .isEqualTo(200);
                    }
                }
            }
        }
    }

    @Test
    void listings_show_only_the_namespaces_a_token_may_use() {
        fixture("alpha");
        fixture("beta");
        assertThat(as("alpha-client").get("/v1/namespaces").body().findValuesAsText("namespace"))
                .containsExactly("alpha");
        assertThat(as("ops").get("/v1/namespaces").body().findValuesAsText("namespace"))
                .contains("alpha", "beta");
        assertThat(as("prom").get("/v1/namespaces").status()).isEqualTo(403);
        assertThat(as("none").get("/v1/namespaces").status()).isEqualTo(401);
    }

    @Test
    void metrics_need_the_metrics_or_admin_role() {
        assertThat(as("none").get("/metrics").status()).isEqualTo(401);
        assertThat(as("alpha-client").get("/metrics").status()).isEqualTo(403);
        assertThat(as("prom").get("/metrics").status()).isEqualTo(200);
        assertThat(as("ops").get("/metrics").status()).isEqualTo(200);
        assertThat(as("none").get("/healthz").status()).isEqualTo(200);
    }
}
