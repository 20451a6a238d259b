package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waiter sees its place, who holds the lock and an ETA in its first answer, and each move of the
 * queue while it long-polls. The broker's long-poll window is the production 25 s, so an answer that
 * waited for the window instead of the move would end the ticket (its 3 s deadline) instead.
 */
class WaitingVisibilityTest {
    private static InProcessBroker broker;
    private static ApiClient api;

    /** One broker for the class: each test uses its own namespace. */
    @BeforeAll
    static void startBroker(@TempDir Path dir) {
        broker = new InProcessBroker(new FileLeaseLog(dir), 25_000, 50_000);
        api = new ApiClient(broker.url());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String body(String name, int waitSeconds, String extra) {
        return "{\"shard\":\"s\",\"mode\":\"exclusive\",\"waitSeconds\":" + waitSeconds
                + ",\"ttlSeconds\":30,\"holder\":{\"name\":\"" + name + "\",\"host\":\"ci-7\",\"pid\":4242}" + extra
                + "}";
    }

    @Test
    void first_answer_names_the_holder_and_estimates_from_declared_holds() {
        assertThat(api.acquire("vis", body("sync-1", 0, ",\"expectedHoldSeconds\":5"))
                        .status())
                .isEqualTo(201);
        var second = api.acquire("vis", body("sync-2", 6, ",\"expectedHoldSeconds\":5,\"replyWithinMillis\":200"));
        var third = api.acquire("vis", body("sync-3", 6, ",\"expectedHoldSeconds\":5,\"replyWithinMillis\":200"));

        assertThat(second.status()).isEqualTo(202);
        var holder = second.body().path("holders").get(0);
        assertThat(holder.path("holder").path("name").asText()).isEqualTo("sync-1");
        assertThat(holder.path("holder").path("host").asText()).isEqualTo("ci-7");
        assertThat(holder.path("holder").path("pid").asLong()).isEqualTo(4242);
        assertThat(second.body().path("etaSeconds").asDouble()).isBetween(4.0, 5.0);
        assertThat(second.body().path("etaExceedsDeadline").asBoolean()).isFalse();
        assertThat(third.body().path("position").asInt()).isEqualTo(2);
        assertThat(third.body().path("etaSeconds").asDouble()).isBetween(9.0, 10.0);
        assertThat(third.body().path("etaExceedsDeadline").asBoolean()).isTrue();
    }

    @Test
    void ticket_poll_with_known_position_answers_when_the_queue_moves() {
        var first = api.acquire("move", body("a", 0, ""));
        api.acquire("move", body("b", 30, ",\"replyWithinMillis\":0"));
        var third = api.acquire("move", body("c", 3, ",\"replyWithinMillis\":0"));
        assertThat(third.body().path("position").asInt()).isEqualTo(2);

        var moved = CompletableFuture.supplyAsync(() -> api.get(third.location() + "?waitSeconds=25&knownPosition=2"));
        assertThat(api.delete("/v1/leases/" + first.text("leaseId")).status()).isEqualTo(204);

        var reply = moved.join();
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body().path("position").asInt()).isEqualTo(1);
        assertThat(reply.body()
                        .path("holders")
                        .get(0)
                        .path("holder")
                        .path("name")
                        .asText())
                .isEqualTo("b");
    }

    @Test
    void eta_exists_from_the_first_release_of_a_key() {
        var first = api.acquire("hist", body("a", 0, ""));
        api.delete("/v1/leases/" + first.text("leaseId"));
        api.acquire("hist", body("b", 0, ""));
        var waiting = api.acquire("hist", body("c", 5, ",\"replyWithinMillis\":0"));
        assertThat(waiting.body().path("etaSeconds").isNumber()).isTrue();
    }

    @Test
    void out_of_range_visibility_fields_are_refused() {
        assertThat(api.acquire("bad", body("a", 1, ",\"replyWithinMillis\":30001"))
                        .status())
                .isEqualTo(400);
        assertThat(api.acquire("bad", body("a", 1, ",\"expectedHoldSeconds\":0"))
                        .status())
                .isEqualTo(400);
        assertThat(api.acquire("bad", body("a", 1, ",\"expectedHoldSeconds\":86401"))
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/v1/tickets/x?knownPosition=0").status()).isEqualTo(400);
        assertThat(api.get("/v1/namespaces/bad/locks").body().path("holders").asInt())
                .isZero();
    }
}
