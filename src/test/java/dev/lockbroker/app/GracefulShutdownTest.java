package dev.lockbroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.BrokerProcess;
import dev.lockbroker.support.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM: the broker answers parked long-polls with 503 and Retry-After, then exits. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigterm_answers_parked_long_polls_with_503_then_exits() throws Exception {
        BrokerProcess broker = BrokerProcess.start(dir, 25, 50);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String leases = broker.url() + "/v1/namespaces/shutdown/leases";
            var held = http.send(
                    post(leases, "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"holder\"}}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(held.statusCode()).isEqualTo(201);
            CompletableFuture<HttpResponse<String>> parked = http.sendAsync(
                    post(leases, "{\"mode\":\"exclusive\",\"waitSeconds\":60,\"holder\":{\"name\":\"waiter\"}}"),
                    HttpResponse.BodyHandlers.ofString());
            awaitWaiting(http, broker.url());

            JavaProcess.signal(broker.pid(), "TERM");
            HttpResponse<String> answer = parked.get(15, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("\"error\":\"shutting_down\"");
            assertThat(answer.headers().firstValue("Retry-After")).contains("1");
            assertThat(broker.process().waitFor(15, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
        } finally {
            broker.close();
        }
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static void awaitWaiting(HttpClient http, URI base) throws Exception {
        for (int i = 0; i < 200; i++) {
            var locks = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/namespaces/shutdown/locks"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (locks.body().contains("\"waiting\":1")) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the waiter never queued");
    }
}
