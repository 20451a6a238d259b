package dev.lockbroker.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revoke contract over real sockets; every answer is validated against openapi.yaml. */
class RevokeOverHttpTest {
    @TempDir
    static Path dir;

    private static InProcessBroker broker;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        broker = new InProcessBroker(new FileLeaseLog(dir), 1_000, 3_000);
        api = new ApiClient(broker.url());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private ApiClient.Reply hold(String namespace, String shard) {
        String shardField = shard == null ? "" : "\"shard\":\"" + shard + "\",";
        var reply = api.acquire(namespace, "{" + shardField + "\"mode\":\"exclusive\",\"holder\":{\"name\":\"h\"}}");
        assertThat(reply.status()).isEqualTo(201);
        return reply;
    }

    @Test
    void a_revoked_holder_learns_the_reason_at_its_next_heartbeat() {
        var lease = hold("rv", "s");
        assertThat(api.post(lease.location() + "/revoke", "{\"reason\":\"stuck job, ticket OPS-12\"}")
                        .status())
                .isEqualTo(204);

        var heartbeat = api.post(lease.location() + "/heartbeat", null);
        assertThat(heartbeat.status()).isEqualTo(410);
        assertThat(heartbeat.text("error")).isEqualTo("revoked");
        assertThat(heartbeat.text("message")).isEqualTo("stuck job, ticket OPS-12");
        assertThat(api.delete(lease.location()).status()).isEqualTo(410);
        assertThat(api.post(lease.location() + "/revoke", "{\"reason\":\"again\"}")
                        .status())
                .isEqualTo(410);
        assertThat(api.post("/v1/leases/rv~unknown/revoke", "{\"reason\":\"x\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.post(lease.location() + "/revoke", "{}").status()).isEqualTo(400);
        hold("rv", "s");
    }

    @Test
    void a_revoke_by_key_names_what_it_ended_and_guards_the_expected_holder() {
        var whole = hold("rk", null);
        long token = whole.body().path("fencingToken").asLong();

        var mismatch = api.delete("/v1/namespaces/rk/locks?fencingToken=" + (token + 5) + "&reason=cleanup");
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.text("error")).isEqualTo("holder_mismatch");
        var shardNotHeld = api.delete("/v1/namespaces/rk/locks?shard=other&reason=cleanup");
        assertThat(shardNotHeld.status()).isEqualTo(404);
        assertThat(shardNotHeld.text("error")).isEqualTo("not_held");

        var revoked = api.delete("/v1/namespaces/rk/locks?fencingToken=" + token + "&reason=cleanup");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().path("revoked").get(0).path("leaseId").asText())
                .isEqualTo(whole.text("leaseId"));
        assertThat(revoked.body().path("revoked").get(0).path("fencingToken").asLong())
                .isEqualTo(token);
        assertThat(api.post(whole.location() + "/heartbeat", null).text("message"))
                .isEqualTo("cleanup");
        assertThat(api.delete("/v1/namespaces/rk/locks?reason=cleanup").status())
                .isEqualTo(404);
        assertThat(api.delete("/v1/namespaces/rk/locks?reason=x&fencingToken=abc")
                        .status())
                .isEqualTo(400);
        assertThat(api.delete("/v1/namespaces/rk/locks").status()).isEqualTo(400);
    }
}
