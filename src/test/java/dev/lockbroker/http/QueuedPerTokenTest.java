package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.metrics.BrokerMetrics;
import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limit of queued tickets per token: past it an acquire that would queue gets 429
 * {@code limit_exceeded} with Retry-After, creates nothing and is counted; other tokens and
 * try-once acquires are not held back; a ticket that stops queuing frees its place.
 */
class QueuedPerTokenTest {
    private static final int MAX_PER_TOKEN = 3;

    @TempDir
    Path dir;

    private final BrokerMetrics metrics = BrokerMetrics.create(100);
    private InProcessBroker broker;

    @BeforeEach
    void start() throws Exception {
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"tokens\":[" + token("one") + "," + token("two") + "]}");
        HttpSettings settings = new HttpSettings(
                20,
                AccessControl.of(tokens, null),
                RequestObserver.NONE,
                metrics::scrape,
                10_000,
                0,
                metrics::limitRefused,
                MAX_PER_TOKEN,
                null);
        Files.createDirectories(dir.resolve("log"));
        broker = new InProcessBroker(new FileLeaseLog(dir.resolve("log")), settings, 30_000, metrics.listener());
    }

    @AfterEach
    void stop() {
        broker.close();
        metrics.close();
    }

    private static String token(String name) {
        return "{\"name\":\"" + name + "\",\"role\":\"client\",\"sha256\":\""
                + HexFormat.of().formatHex(AccessControl.sha256("secret-" + name)) + "\"}";
    }

    private ApiClient as(String name) {
        return new ApiClient(broker.url()).withToken("secret-" + name);
    }

    private static String body(String shard, int waitSeconds) {
        return "{\"shard\":\"" + shard + "\",\"mode\":\"exclusive\",\"waitSeconds\":" + waitSeconds
                + ",\"replyWithinMillis\":0,\"holder\":{\"name\":\"q\"}}";
    }

    @Test
    void a_token_past_its_queued_tickets_gets_429_and_others_still_queue() throws Exception {
        ApiClient one = as("one");
        assertThat(one.acquire("quota", body("k", 0)).status()).isEqualTo(201);
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < MAX_PER_TOKEN; i++) {
            var queued = one.acquire("quota", body("k", 60));
            assertThat(queued.status()).isEqualTo(202);
            tickets.add(queued.text("ticketId"));
        }

        var refused = one.acquire("quota", body("k", 60));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.text("error")).isEqualTo("limit_exceeded");
        assertThat(refused.text("message")).contains("'one'").contains("3 queued");
        assertThat(one.get("/v1/namespaces/quota/locks").body().path("waiting").asInt())
                .as("the refused acquire created nothing")
                .isEqualTo(MAX_PER_TOKEN);
        assertThat(metrics.scrape()).contains("lockbroker_limit_refusals_total{limit=\"queued_per_token\"} 1.0");

        assertThat(one.acquire("quota", body("free", 0)).status())
                .as("a try-once acquire never queues, so it is not held back")
                .isEqualTo(201);
        assertThat(as("two").acquire("quota", body("k", 60)).status())
                .as("another token still queues")
                .isEqualTo(202);

        assertThat(one.delete("/v1/tickets/" + tickets.getFirst()).status()).isEqualTo(204);
        Poll.until(
                "the cancelled ticket's place is free again",
                Duration.ofSeconds(5),
                () -> one.acquire("quota", body("k", 60)).status() == 202);
    }
}
