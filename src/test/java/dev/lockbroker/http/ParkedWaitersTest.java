package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.InProcessBroker;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiters parked in long-polls hold no thread: thousands of them add no platform thread, each is one
 * parked poll in the core, and a stop answers every one of them 503 before the server closes.
 */
class ParkedWaitersTest {
    private static final int WAITERS = 2_000;

    @TempDir
    Path dir;

    @Test
    void two_thousand_parked_waiters_cost_no_platform_thread_each() throws Exception {
        try (ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
                InProcessBroker broker = new InProcessBroker(new FileLeaseLog(dir), 25_000, 50_000)) {
            HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
            String leases = broker.url() + "/v1/namespaces/parked/leases";
            assertThat(http.send(
                                    post(leases, "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"blocker\"}}"),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(201);
            int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            List<CompletableFuture<HttpResponse<Void>>> parked = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                parked.add(http.sendAsync(
                        post(
                                leases,
                                "{\"mode\":\"exclusive\",\"waitSeconds\":60,\"holder\":{\"name\":\"w" + i + "\"}}"),
                        HttpResponse.BodyHandlers.discarding()));
            }
            for (int i = 0; i < 600 && broker.service().status("parked").waiting() < WAITERS; i++) {
                Thread.sleep(50);
            }
            assertThat(broker.service().status("parked").waiting()).isEqualTo(WAITERS);
            assertThat(broker.service().pollsParked())
                    .as("long-polls parked in the core")
                    .isEqualTo(WAITERS);
            int platformThreadsParked = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(platformThreadsParked - platformThreadsBefore)
                    .as("platform threads added while %d long-polls are parked", WAITERS)
                    .isLessThan(100);

            broker.stop(); // answers every parked long-poll with 503
            CompletableFuture.allOf(parked.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(parked).allSatisfy(p -> assertThat(p.join().statusCode()).isEqualTo(503));
            assertThat(broker.service().pollsParked()).isZero();
        }
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
