package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.http.HttpApi;
import dev.lockbroker.http.HttpSettings;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker (core, file store, HTTP API on a loopback port) wired with {@link BrokerMetrics} as
 * the app wires it; real requests, then {@code GET /metrics} must count exactly what happened, and
 * must export every series the alert rules and the dashboard query.
 */
class BrokerOverHttpMetricsTest {
    private static final String WAIT = "lockbroker_lock_wait_seconds";
    private static final String HOLD = "lockbroker_lock_hold_seconds";
    private static final String HTTP = "lockbroker_http_server_requests_seconds";

    @TempDir
    Path dir;

    private final BrokerMetrics metrics = BrokerMetrics.create(1000);
    private final ExecutorService commits = Executors.newVirtualThreadPerTaskExecutor();
    private LockService service;
    private Javalin server;
    private ApiClient api;

    @BeforeEach
    void start() {
        service = new LockService(
                metrics.wrap(new FileLeaseLog(dir)),
                Clock.SYSTEM,
                commits,
                metrics.listener(),
                new LockSettings(1_500, 600_000, 1_000),
                (ns, e) -> {});
        service.startSweeping(20);
        server = HttpApi.create(service, new HttpSettings(300, null, metrics.http()::observe, metrics::scrape))
                .start("127.0.0.1", 0);
        api = new ApiClient("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        service.close();
        server.stop();
        commits.shutdownNow();
        metrics.close();
    }

    @Test
    void metrics_count_exactly_the_grants_timeouts_cancellations_expiries_and_abandonment_served() throws Exception {
        var first = api.acquire("web", body("exclusive", 0, 30));
        assertThat(first.status()).isEqualTo(201);
        assertThat(api.acquire("web", body("shared", 0, 5)).status()).isEqualTo(409);
        var timingOut = api.acquire("web", body("exclusive", 1, 5));
        if (timingOut.status() == 202) {
            awaitStatus(timingOut.location() + "?waitSeconds=1", s -> s == 410);
        }
        var cancelled = api.acquire("web", body("exclusive", 30, 5));
        assertThat(api.delete(cancelled.location()).status()).isEqualTo(204);
        assertThat(api.delete(first.location()).status()).isEqualTo(204);

        assertThat(api.acquire("web", body("exclusive", 0, 1)).status()).isEqualTo(201);
        var next = api.acquire("web", body("exclusive", 30, 30));
        assertThat(next.status()).isEqualTo(202);
        String granted =
                awaitStatus(next.location() + "?waitSeconds=1", s -> s == 200).text("leaseId");
        assertThat(api.acquire("web", body("exclusive", 30, 5)).status()).isEqualTo(202);
        await(() -> api.get("/v1/namespaces/web/locks")
                .body()
                .path("locks")
                .get(0)
                .path("queue")
                .isEmpty());
        assertThat(api.delete("/v1/leases/" + granted).status()).isEqualTo(204);

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        Scrape s = Scrape.parse(response.body());

        assertThat(count(s, WAIT, "exclusive", "granted")).isEqualTo(3);
        assertThat(count(s, WAIT, "exclusive", "timeout")).isEqualTo(1);
        assertThat(s.value(WAIT + "_bucket", "mode", "exclusive", "outcome", "timeout", "le", "0.5"))
                .isZero();
        assertThat(count(s, WAIT, "exclusive", "cancelled")).isEqualTo(1);
        assertThat(count(s, WAIT, "exclusive", "abandoned")).isEqualTo(1);
        assertThat(s.matching(WAIT + "_count", "mode", "shared")).allMatch(x -> x.value() == 0);
        assertThat(count(s, HOLD, "exclusive", "expired")).isEqualTo(1);
        assertThat(s.value(HOLD + "_bucket", "mode", "exclusive", "outcome", "expired", "le", "1.0"))
                .isZero();
        assertThat(count(s, HOLD, "exclusive", "released")).isEqualTo(2);
        assertThat(s.value("lockbroker_queue_depth", "namespace", "web")).isZero();
        assertThat(s.value("lockbroker_leases_active", "namespace", "web", "mode", "exclusive"))
                .isZero();
        assertThat(s.value(
                        HTTP + "_count",
                        "method",
                        "POST",
                        "route",
                        "/v1/namespaces/{namespace}/leases",
                        "status",
                        "201"))
                .isEqualTo(2);
        assertThat(s.value(
                        HTTP + "_count",
                        "method",
                        "POST",
                        "route",
                        "/v1/namespaces/{namespace}/leases",
                        "status",
                        "409"))
                .isGreaterThanOrEqualTo(1);
        assertThat(s.value(HTTP + "_count", "method", "DELETE", "route", "/v1/tickets/{ticketId}", "status", "204"))
                .isEqualTo(1);
        assertThat(s.value(HTTP + "_count", "method", "DELETE", "route", "/v1/leases/{leaseId}", "status", "204"))
                .isEqualTo(2);
        assertThat(s.value("lockbroker_store_request_seconds_count", "operation", "append", "outcome", "created"))
                .isPositive();

        DeployQueries.assertExported(s, DeployQueries.alertSelectors());
        DeployQueries.assertExported(s, DeployQueries.dashboardSelectors());
    }

    private static double count(Scrape s, String name, String mode, String outcome) {
        return s.value(name + "_count", "namespace", "web", "mode", mode, "outcome", outcome);
    }

    private static String body(String mode, int waitSeconds, int ttlSeconds) {
        return "{\"mode\":\"" + mode + "\",\"waitSeconds\":" + waitSeconds + ",\"ttlSeconds\":" + ttlSeconds
                + ",\"holder\":{\"name\":\"metrics-test\",\"host\":\"localhost\",\"pid\":1}}";
    }

    /** Polls {@code path} (each poll a bounded long-poll) until its status passes; at most 20 polls. */
    private ApiClient.Reply awaitStatus(String path, Predicate<Integer> done) {
        for (int i = 0; i < 20; i++) {
            ApiClient.Reply reply = api.get(path);
            if (done.test(reply.status())) {
                return reply;
            }
        }
        throw new AssertionError("no wanted status from " + path + " after 20 polls");
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met within 10 s");
    }
}
