package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST contract over real sockets; every response is validated against openapi.yaml. */
class HttpApiEndToEndTest {
    @TempDir
    Path dir;

    private InProcessBroker broker;
    private ApiClient api;

    @BeforeEach
    void start() {
        broker = new InProcessBroker(new FileLeaseLog(dir), 1_000, 3_000);
        api = new ApiClient(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static String body(String shard, String mode, int waitSeconds) {
        String shardField = shard == null ? "" : "\"shard\":\"" + shard + "\",";
        return "{" + shardField + "\"mode\":\"" + mode + "\",\"waitSeconds\":" + waitSeconds
                + ",\"ttlSeconds\":5,\"holder\":{\"name\":\"e2e\",\"host\":\"h\",\"pid\":7}}";
    }

    @Test
    void grant_queue_handoff_heartbeat_and_release() {
        var first = api.acquire("e2e", body("s", "exclusive", 0));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.location()).isEqualTo("/v1/leases/" + first.text("leaseId"));
        assertThat(first.body().path("fencingToken").asLong()).isEqualTo(1);

        var queued = api.acquire("e2e", body("s", "exclusive", 30));
        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.body().path("position").asInt()).isEqualTo(1);
        assertThat(queued.location()).isEqualTo("/v1/tickets/" + queued.text("ticketId"));

        var locks = api.get("/v1/namespaces/e2e/locks");
        assertThat(locks.body().path("locks").get(0).path("queue")).hasSize(1);
        assertThat(api.get("/v1/namespaces")
                        .body()
                        .path("namespaces")
                        .get(0)
                        .path("waiting")
                        .asInt())
                .isEqualTo(1);

        assertThat(api.post(first.location() + "/heartbeat", null).status()).isEqualTo(200);
        assertThat(api.delete(first.location()).status()).isEqualTo(204);
        assertThat(api.delete(first.location()).status()).isEqualTo(204);

        var granted = api.get(queued.location() + "?waitSeconds=5");
        assertThat(granted.status()).isEqualTo(200);
        assertThat(granted.body().path("fencingToken").asLong()).isEqualTo(2);
        assertThat(api.post("/v1/leases/" + granted.text("leaseId") + "/heartbeat", null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void busy_timeout_cancel_and_gone_answers() {
        var holder = api.acquire("gone", body(null, "exclusive", 0));
        var busy = api.acquire("gone", body("x", "shared", 0));
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.text("error")).isEqualTo("busy");
        assertThat(busy.body()
                        .path("holders")
                        .get(0)
                        .path("holder")
                        .path("name")
                        .asText())
                .isEqualTo("e2e");

        var timedOut = api.acquire("gone", body("x", "shared", 1));
        assertThat(timedOut.status()).isIn(202, 409);
        if (timedOut.status() == 202) {
            var ended = api.get(timedOut.location() + "?waitSeconds=3");
            assertThat(ended.status()).isEqualTo(410);
            assertThat(ended.text("reason")).isEqualTo("timed_out");
        } else {
            assertThat(timedOut.text("error")).isEqualTo("timed_out");
        }

        var ticket = api.acquire("gone", body("y", "exclusive", 30));
        assertThat(api.delete(ticket.location()).status()).isEqualTo(204);
        var cancelled = api.get(ticket.location());
        assertThat(cancelled.status()).isEqualTo(410);
        assertThat(cancelled.text("reason")).isEqualTo("cancelled");

        assertThat(api.get("/v1/tickets/nope").status()).isEqualTo(404);
        assertThat(api.delete("/v1/leases/nope").status()).isEqualTo(404);
        assertThat(api.post("/v1/leases/nope/heartbeat", null).status()).isEqualTo(404);
        assertThat(api.delete(holder.location()).status()).isEqualTo(204);
    }

    @Test
    void an_expired_lease_answers_410_to_heartbeat_and_release() throws InterruptedException {
        var lease = api.acquire("exp", "{\"mode\":\"exclusive\",\"ttlSeconds\":1,\"holder\":{\"name\":\"x\"}}");
        Thread.sleep(1_300);
        var heartbeat = api.post(lease.location() + "/heartbeat", null);
        assertThat(heartbeat.status()).isEqualTo(410);
        assertThat(heartbeat.text("error")).isEqualTo("lease_gone");
        assertThat(heartbeat.text("reason")).isEqualTo("expired");
        assertThat(api.delete(lease.location()).status()).isEqualTo(410);
    }

    @Test
    void rejected_requests_say_why_and_change_nothing() {
        String[] bad = {
            "{\"mode\":\"exclusive\"",
            "[1,2]",
            "{\"mode\":\"sideways\",\"holder\":{\"name\":\"x\"}}",
            "{\"mode\":\"exclusive\"}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"\"}}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"},\"ttlSeconds\":0}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"},\"ttlSeconds\":3601}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"},\"ttlSeconds\":1.5}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"},\"waitSeconds\":-1}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"},\"waitSeconds\":\"soon\"}",
            "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\"},\"shard\":\"../etc\"}",
            "",
        };
        for (String json : bad) {
            var reply = api.acquire("bad", json);
            assertThat(reply.status()).as(json).isEqualTo(400);
            assertThat(reply.text("error")).as(json).isIn("invalid_request", "invalid_json");
            assertThat(reply.text("message")).as(json).isNotBlank();
        }
        assertThat(api.acquire("bad..x$", body(null, "exclusive", 0)).status()).isEqualTo(400);
        assertThat(api.get("/v1/tickets/x?waitSeconds=abc").status()).isIn(400, 404);
        var tooBig = api.send(
                "POST",
                "/v1/namespaces/bad/leases",
                HttpRequest.BodyPublishers.ofString("{\"pad\":\"" + "a".repeat(70_000) + "\"}"),
                true);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.text("error")).isEqualTo("payload_too_large");
        assertThat(api.get("/v1/namespaces/bad/locks").body().path("locks")).isEmpty();
        assertThat(api.get("/v1/namespaces").body().path("namespaces")).isEmpty();
        // still serving, and unknown fields are ignored
        var ok = api.acquire(
                "bad", "{\"mode\":\"exclusive\",\"holder\":{\"name\":\"x\",\"extra\":1},\"colour\":\"blue\"}");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().path("fencingToken").asLong()).isEqualTo(1);
    }

    @Test
    void unknown_routes_answer_json_errors() {
        var reply = new ApiClient(broker.url()).unvalidated().get("/v2/nothing");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text("error")).isEqualTo("not_found");
    }

    @Test
    void health_and_readiness() {
        assertThat(api.get("/healthz").text("status")).isEqualTo("ok");
        assertThat(api.get("/readyz").text("status")).isEqualTo("ready");
    }

    @Test
    void a_repeated_request_id_does_not_queue_twice() {
        api.acquire("idem", body(null, "exclusive", 0));
        String json = "{\"mode\":\"exclusive\",\"waitSeconds\":30,\"requestId\":\"r-1\",\"holder\":{\"name\":\"x\"}}";
        var first = api.acquire("idem", json);
        var again = api.acquire("idem", json);
        assertThat(again.text("ticketId")).isEqualTo(first.text("ticketId"));
        assertThat(api.get("/v1/namespaces/idem/locks").body().path("waiting").asInt())
                .isEqualTo(1);
    }

    @Test
    void a_restarted_broker_accepts_heartbeats_and_refuses_conflicting_grants() {
        var lease = api.acquire("restart", body("s", "exclusive", 0));
        broker.close();
        broker = new InProcessBroker(new FileLeaseLog(dir), 1_000, 3_000);
        api = new ApiClient(broker.url());
        assertThat(api.post(lease.location() + "/heartbeat", null).status()).isEqualTo(200);
        assertThat(api.acquire("restart", body("s", "exclusive", 0)).status()).isEqualTo(409);
        assertThat(api.acquire("restart", body(null, "shared", 0)).status()).isEqualTo(409);
        var next = api.acquire("restart", body("s", "exclusive", 10));
        assertThat(api.delete(lease.location()).status()).isEqualTo(204);
        var granted = next.status() == 201 ? next : api.get(next.location() + "?waitSeconds=5");
        assertThat(granted.body().path("fencingToken").asLong()).isGreaterThan(1);
    }

    @Test
    void a_bearer_token_guards_the_api_but_not_health() {
        broker.close();
        broker = new InProcessBroker(
                new FileLeaseLog(dir), 1_000, 3_000, dev.lockbroker.core.LockEventListener.NONE, "s3cret");
        var anonymous = new ApiClient(broker.url());
        assertThat(anonymous.get("/v1/namespaces").status()).isEqualTo(401);
        assertThat(anonymous.withToken("wrong").get("/v1/namespaces").status()).isEqualTo(401);
        assertThat(new ApiClient(broker.url())
                        .withToken("s3cret")
                        .get("/v1/namespaces")
                        .status())
                .isEqualTo(200);
        assertThat(new ApiClient(broker.url()).get("/healthz").status()).isEqualTo(200);
    }
}
