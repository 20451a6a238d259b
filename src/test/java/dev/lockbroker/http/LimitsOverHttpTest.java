package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.Clock;
import dev.lockbroker.core.LockEventListener;
import dev.lockbroker.core.LockService;
import dev.lockbroker.core.LockSettings;
import dev.lockbroker.metrics.BrokerMetrics;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 429 with Retry-After and JSON, validated against openapi.yaml, and counted by limit in the metrics. */
class LimitsOverHttpTest {
    @TempDir
    Path dir;

    private final BrokerMetrics metrics = BrokerMetrics.create(100);
    private LockService service;
    private Javalin http;

    @BeforeEach
    void start() throws Exception {
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(
                tokens,
                "{\"metricsOpen\":true,\"tokens\":[{\"name\":\"ci\",\"role\":\"client\",\"sha256\":\""
                        + HexFormat.of().formatHex(AccessControl.sha256("t")) + "\"}]}");
        service = new LockService(
                new FileLeaseLog(dir),
                Clock.SYSTEM,
                Executors.newVirtualThreadPerTaskExecutor(),
                LockEventListener.NONE,
                new LockSettings(3_000, 600_000, 1_000, 1, 1_000, 1_000),
                (ns, e) -> {});
        http = HttpApi.create(
                        service,
                        new HttpSettings(
                                20,
                                AccessControl.of(tokens, null),
                                RequestObserver.NONE,
                                metrics::scrape,
                                10_000,
                                5,
                                metrics::limitRefused,
                                HttpSettings.DEFAULT_MAX_QUEUED_PER_TOKEN,
                                null))
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        service.close();
        http.stop();
    }

    @Test
    void a_full_queue_and_a_fast_token_get_429_and_are_counted() {
        ApiClient api = new ApiClient("http://127.0.0.1:" + http.port()).withToken("t");
        String wait = "{\"mode\":\"exclusive\",\"waitSeconds\":30,\"holder\":{\"name\":\"x\"}}";
        assertThat(api.acquire("lim", "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"}}")
                        .status())
                .isEqualTo(201);
        assertThat(api.acquire("lim", wait).status()).isEqualTo(202);
        var full = api.acquire("lim", wait);
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.text("error")).isEqualTo("limit_exceeded");
        assertThat(api.get("/v1/namespaces/lim/locks").body().path("waiting").asInt())
                .isEqualTo(1);

        int refused = 0;
        for (int i = 0; i < 40; i++) {
            var reply = api.get("/v1/namespaces");
            if (reply.status() == 429) {
                assertThat(reply.text("error")).isEqualTo("rate_limited");
                refused++;
            }
        }
        assertThat(refused).isPositive();
        String scrape = metrics.scrape();
        assertThat(scrape).contains("lockbroker_limit_refusals_total{limit=\"queued_per_namespace\"} 1.0");
        assertThat(scrape).containsPattern("lockbroker_limit_refusals_total\\{limit=\"requests_per_token\"} [1-9]");
    }
}
