package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.OwnershipRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyPerClass;
import dev.lockbroker.support.S3ProxyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cleanup of the ownership logs on S3Proxy (README, "Several brokers"): a partition renewed many
 * times keeps a bounded number of objects, and a broker that builds on what it saw before a cleanup
 * (its PUT held in the network across it, or its reads stopped) never counts a deleted number it
 * recreates; with the freshness check off it does, and two brokers count the same number.
 */
class S3OwnershipCleanupTest {
    @RegisterExtension
    static final S3ProxyPerClass S3 = new S3ProxyPerClass();

    private static final int EVERY = 4;
    private static final OwnershipCleanup FAST = new OwnershipCleanup(EVERY, Duration.ofSeconds(3), true);

    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = "own-" + UUID.randomUUID();
    }

    @Test
    void after_many_renewals_a_partition_keeps_a_bounded_number_of_objects() throws Exception {
        try (S3OwnershipLog owner = open(FAST, S3.server().endpoint());
                S3OwnershipLog peer = open(FAST, S3.server().endpoint())) {
            int renewals = 120;
            long seen = 0;
            for (long seq = 1; seq <= renewals; seq++) {
                assertThat(owner.append(0, record(seq, "a")))
                        .as("renewal %d", seq)
                        .isTrue();
                if (seq % 3 == 0) { // a peer reads every third renewal, as at TTL/3 with a slow peer
                    seen = peer.latestAfter(0, seen).map(OwnershipRecord::seq).orElse(seen);
                    assertThat(seen).isEqualTo(seq);
                }
            }
            List<String> left = awaitAtMost(EVERY);
            assertThat(left).as("objects left of %d renewals", renewals).hasSizeLessThanOrEqualTo(EVERY);
            assertThat(left).last().asString().endsWith(dev.lockbroker.store.RecordCodec.recordName(renewals));
            try (S3OwnershipLog cold = open(FAST, S3.server().endpoint())) {
                assertThat(cold.latestAfter(0, 0)).map(OwnershipRecord::seq).contains((long) renewals);
                assertThat(cold.append(0, record(renewals + 1, "b"))).isTrue();
            }
        }
    }

    @Test
    void a_cold_read_after_the_newest_record_finds_nothing_newer() {
        try (S3OwnershipLog owner = open(FAST, S3.server().endpoint());
                S3OwnershipLog cold = open(FAST, S3.server().endpoint())) {
            for (long seq = 1; seq <= 5; seq++) {
                assertThat(owner.append(0, record(seq, "a"))).isTrue();
            }
            assertThat(cold.latestAfter(0, 5)).isEmpty();
            assertThat(cold.latestAfter(0, 5)).isEmpty();
            assertThat(cold.latestAfter(0, 3)).map(OwnershipRecord::seq).contains(5L);
        }
    }

    @Test
    void a_put_held_across_a_cleanup_does_not_count() throws Exception {
        assertThat(doubleCounts(FAST, true))
                .as("numbers counted by two brokers")
                .isEmpty();
    }

    @Test
    void without_the_check_a_put_held_across_a_cleanup_counts_a_number_twice() throws Exception {
        assertThat(doubleCounts(FAST.withoutChecks(), true)).containsKey(4L);
    }

    @Test
    void a_broker_that_stopped_reading_claims_no_deleted_number() throws Exception {
        assertThat(doubleCounts(FAST, false))
                .as("numbers counted by two brokers")
                .isEmpty();
    }

    @Test
    void without_the_check_a_broker_that_stopped_reading_claims_a_deleted_number() throws Exception {
        assertThat(doubleCounts(FAST.withoutChecks(), false)).containsKey(4L);
    }

    /**
     * Broker A (behind a relay) and B see record 3 newest. A then builds record 4 on that sight:
     * either its PUT is held in the network ({@code held}) or it stops reading and claims later.
     * Meanwhile B wins 4, renews to 8 and its cleanup deletes 4-7; then A's PUT lands. Returns
     * every number counted by two brokers (the checker: each number may be won once).
     */
    private Map<Long, List<String>> doubleCounts(OwnershipCleanup cleanup, boolean held) throws Exception {
        Map<Long, List<String>> counted = new TreeMap<>();
        try (ForwardingS3Proxy relay = ForwardingS3Proxy.start(S3.server().endpoint());
                S3OwnershipLog a = open(cleanup, relay.endpoint());
                S3OwnershipLog b = open(cleanup, S3.server().endpoint())) {
            for (long seq = 1; seq <= 3; seq++) {
                count(counted, seq, "b", b.append(0, record(seq, "b")));
            }
            assertThat(a.latestAfter(0, 0)).map(OwnershipRecord::seq).contains(3L);
            CompletableFuture<Boolean> stale = null;
            if (held) {
                ForwardingS3Proxy.HeldPut put = relay.holdNextPut();
                stale = CompletableFuture.supplyAsync(() -> a.append(0, record(4, "a")));
                assertThat(put.awaitArrival(Duration.ofSeconds(10))).isTrue();
                renewAndClean(b, counted);
                put.release();
            } else {
                renewAndClean(b, counted);
                stale = CompletableFuture.supplyAsync(() -> a.append(0, record(4, "a")));
            }
            count(counted, 4, "a", outcome(stale));
        }
        counted.values().removeIf(writers -> writers.size() < 2);
        return counted;
    }

    /** B wins 4 to 8; the cleanup after 8 deletes 4-7 a delete delay later. */
    private void renewAndClean(S3OwnershipLog b, Map<Long, List<String>> counted) throws InterruptedException {
        for (long seq = 4; seq <= 8; seq++) {
            count(counted, seq, "b", b.append(0, record(seq, "b")));
        }
        for (int i = 0; i < 500 && keys().stream().anyMatch(k -> k.endsWith(name(4))); i++) {
            Thread.sleep(20);
        }
        assertThat(keys()).as("record 4 deleted").noneMatch(k -> k.endsWith(name(4)));
    }

    /** Whether the stale append counted: true, false (number taken) or failed as unknown (not counted). */
    private static boolean outcome(CompletableFuture<Boolean> append) throws Exception {
        try {
            return append.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StoreUnavailableException.class);
            return false;
        }
    }

    private static void count(Map<Long, List<String>> counted, long seq, String writer, boolean won) {
        if (won) {
            counted.computeIfAbsent(seq, s -> new ArrayList<>()).add(writer);
        }
    }

    private List<String> awaitAtMost(int count) throws InterruptedException {
        List<String> keys = keys();
        for (int i = 0; i < 500 && keys.size() > count; i++) {
            Thread.sleep(20);
            keys = keys();
        }
        return keys;
    }

    private List<String> keys() {
        try (S3Client admin = S3.server().adminClient()) {
            return admin
                    .listObjectsV2Paginator(l -> l.bucket(S3ProxyServer.BUCKET).prefix(prefix + "/cluster/p0/"))
                    .contents()
                    .stream()
                    .map(o -> o.key())
                    .toList();
        }
    }

    /** A log on this test's prefix, its connection warmed by a read of another partition (a first call is slow). */
    private S3OwnershipLog open(OwnershipCleanup cleanup, java.net.URI endpoint) {
        S3OwnershipLog log = S3OwnershipLog.open(
                S3.server()
                        .settings()
                        .withEndpoint(endpoint)
                        .withPrefix(prefix)
                        .withCallTimeout(Duration.ofSeconds(30)), // above any hold: the SDK must not retry it
                S3ProxyServer.CREDENTIALS,
                cleanup);
        log.latestAfter(7, 0);
        return log;
    }

    private static String name(long seq) {
        return dev.lockbroker.store.RecordCodec.recordName(seq);
    }

    private static OwnershipRecord record(long seq, String broker) {
        return new OwnershipRecord(seq, broker, "i-" + broker, "http://" + broker, 15_000, 1, seq, false);
    }
}
