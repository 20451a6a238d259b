package dev.lockbroker.s3broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.support.ApiClient;
import dev.lockbroker.support.InProcessBroker;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease granted by one broker and kept alive through another (a load balancer in front of two
 * brokers on one bucket): the granting broker learns of the renewals from the log and never hands
 * the lock to its own waiter while the holder lives; the release through the other broker frees it.
 */
class CrossBrokerHeartbeatTest {
    @TempDir
    Path dir;

    private static final String HOLD =
            "{\"shard\":\"k\",\"mode\":\"exclusive\",\"ttlSeconds\":%d,\"waitSeconds\":%d,\"holder\":{\"name\":\"%s\"}}";

    @Test
    void heartbeats_through_a_peer_keep_the_lease_and_its_release_frees_the_key() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir);
                InProcessBroker granting = new InProcessBroker(s3.openLog("cross"), 1_000, 10_000);
                InProcessBroker peer = new InProcessBroker(s3.openLog("cross"), 1_000, 10_000)) {
            ApiClient viaGranting = new ApiClient(granting.url());
            ApiClient viaPeer = new ApiClient(peer.url());
            var held = viaGranting.acquire("cross", HOLD.formatted(2, 0, "holder"));
            assertThat(held.status()).isEqualTo(201);

            CompletableFuture<Long> waiterGrantedAt = CompletableFuture.supplyAsync(() -> {
                var reply = viaGranting.acquire("cross", HOLD.formatted(30, 60, "waiter"));
                while (reply.status() == 202) {
                    reply = viaGranting.get(reply.location() + "?waitSeconds=1");
                }
                assertThat(reply.status()).isIn(200, 201);
                return System.nanoTime();
            });

            long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(7); // 3.5 TTLs
            while (System.nanoTime() < holdUntil) {
                assertThat(viaPeer.post(held.location() + "/heartbeat", null).status())
                        .isEqualTo(200);
                assertThat(waiterGrantedAt)
                        .as("granted while the holder heartbeats the peer")
                        .isNotDone();
                Thread.sleep(600);
            }
            long releasedAt = System.nanoTime();
            assertThat(viaPeer.delete(held.location()).status()).isEqualTo(204);
            assertThat(waiterGrantedAt.get(20, TimeUnit.SECONDS)).isGreaterThan(releasedAt);
        }
    }
}
