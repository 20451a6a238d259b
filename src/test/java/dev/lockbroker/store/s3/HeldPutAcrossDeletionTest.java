package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Why records are never deleted while a writer may still be on its way (README, "Bounded growth"): a
 * create-only PUT held in the network across the deletion of its key lands after it and wins the
 * number a second time, so two writers both hold record 2. Compaction must make such a late PUT
 * worthless to its writer, not rely on it failing.
 */
class HeldPutAcrossDeletionTest {
    @TempDir
    Path dir;

    @Test
    void a_put_held_across_the_deletion_of_its_key_wins_the_number_again() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(dir);
                ForwardingS3Proxy relay = ForwardingS3Proxy.start(server.endpoint());
                S3LeaseLog direct = S3LeaseLog.open(patient(server).withPrefix("held"), S3ProxyServer.CREDENTIALS);
                S3LeaseLog stalled = S3LeaseLog.open(
                        patient(server).withEndpoint(relay.endpoint()).withPrefix("held"), S3ProxyServer.CREDENTIALS);
                S3Client admin = server.adminClient()) {
            assertThat(direct.append("ns", record(1, 1))).isTrue();
            ForwardingS3Proxy.HeldPut held = relay.holdNextPut();
            CompletableFuture<Boolean> stalledWrite =
                    CompletableFuture.supplyAsync(() -> stalled.append("ns", record(2, 20)));
            assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();

            assertThat(direct.append("ns", record(2, 2)))
                    .as("the live writer wins record 2")
                    .isTrue();
            assertThat(direct.append("ns", record(3, 3))).isTrue();
            for (long seq = 1; seq <= 2; seq++) { // a compaction that simply deletes what is below the newest
                String key = "held/v1/ns/" + dev.lockbroker.store.RecordCodec.recordName(seq);
                admin.deleteObject(d -> d.bucket(S3ProxyServer.BUCKET).key(key));
            }
            held.release();

            assertThat(stalledWrite.get(30, TimeUnit.SECONDS))
                    .as("the stalled writer also won record 2")
                    .isTrue();
        }
    }

    /** A call budget far above the hold, so the SDK does not time out and retry the held PUT. */
    private static dev.lockbroker.store.s3.S3Settings patient(S3ProxyServer server) {
        return server.settings().withCallTimeout(Duration.ofSeconds(30));
    }

    private static LeaseRecord record(long seq, long lastToken) {
        return new LeaseRecord(seq, lastToken, 1_700_000_000_000L, List.of());
    }
}
