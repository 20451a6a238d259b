package dev.lockbroker.s3broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker on S3 whose store goes away mid-run: it fails closed, keeps heartbeats, and recovers by itself. */
class S3BrokerOutageTest {
    @TempDir
    Path dir;

    private static final String EXCLUSIVE =
            "{\"shard\":\"%s\",\"mode\":\"exclusive\",\"waitSeconds\":%d,\"ttlSeconds\":30,\"holder\":{\"name\":\"outage\"}}";

    @Test
    void an_outage_answers_503_grants_nothing_and_service_resumes_without_restart() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir);
                InProcessBroker broker = new InProcessBroker(s3.openLog("outage"), 1_000, 10_000)) {
            ApiClient api = new ApiClient(broker.url());
            var held = api.acquire("ns", EXCLUSIVE.formatted("a", 0));
            assertThat(held.status()).isEqualTo(201);

            s3.stop();
            var tryOnce = api.acquire("ns", EXCLUSIVE.formatted("b", 0));
            assertThat(tryOnce.status()).isEqualTo(503);
            assertThat(tryOnce.text("error")).isEqualTo("store_unavailable");
            assertThat(api.acquire("ns", EXCLUSIVE.formatted("c", 5)).status()).isEqualTo(503);
            assertThat(api.acquire("other-ns", EXCLUSIVE.formatted("c", 0)).status())
                    .isEqualTo(503);
            assertThat(api.get("/readyz").status()).isEqualTo(503);
            assertThat(api.post(held.location() + "/heartbeat", null).status()).isEqualTo(200);
            var locks = api.get("/v1/namespaces/ns/locks");
            assertThat(locks.body().path("holders").asInt()).isEqualTo(1);
            assertThat(locks.body().path("waiting").asInt()).isZero();

            s3.restart();
            assertThat(api.get("/readyz").status()).isEqualTo(200);
            var after = api.acquire("ns", EXCLUSIVE.formatted("b", 10));
            if (after.status() == 202) {
                after = api.get(after.location() + "?waitSeconds=10");
            }
            assertThat(after.status()).isIn(200, 201);
            assertThat(after.body().path("fencingToken").asLong())
                    .isGreaterThan(held.body().path("fencingToken").asLong());
            assertThat(api.delete(held.location()).status()).isEqualTo(204);
        }
    }
}
