package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.support.S3Backend;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Compaction of the S3 log on a real S3 server (README, "Bounded growth"): what a sealed
 * generation leaves, that records and numbers continue across generations, and that a writer which
 * read before a compaction and wrote after the deletion never wins a number a second time (and
 * does with the seal check off: what the check prevents). Short seal delays keep each test to
 * about a second.
 */
abstract class CompactionContract {
    static final CompactionSettings FAST =
            CompactionSettings.NEVER.withTimes(Duration.ofMillis(300), Duration.ofSeconds(60));

    private String prefix;

    /** The server under test. */
    protected abstract S3Backend backend();

    @BeforeEach
    void freshPrefix() {
        prefix = "compaction-" + UUID.randomUUID();
    }

    S3LeaseLog open(CompactionSettings compaction) {
        return S3LeaseLog.openUnchecked( // the store contract suite runs the start-up check on each server
                backend().settings().withPrefix(prefix).withCallTimeout(Duration.ofSeconds(30)),
                backend().credentials(),
                compaction);
    }

    static LeaseRecord record(long seq, long lastToken) {
        return new LeaseRecord(seq, lastToken, 1_700_000_000_000L + seq, List.of());
    }

    static void appendUpTo(S3LeaseLog log, String ns, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            assertThat(log.append(ns, record(seq, seq))).as("append %d", seq).isTrue();
        }
    }

    List<String> objects(String ns) {
        try (S3Client admin = S3Client.builder()
                .endpointOverride(backend().endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(backend().credentials())
                .forcePathStyle(true)
                .build()) {
            String under = prefix + "/v1/" + ns + "/";
            return admin
                    .listObjectsV2Paginator(l -> l.bucket(backend().bucket()).prefix(under))
                    .contents()
                    .stream()
                    .map(o -> o.key().substring(under.length()))
                    .toList();
        }
    }

    /** The stale writer reads record 5; the live one wins 6 to 10 and compacts, deleting 6. */
    private static void pauseAcrossCompaction(S3LeaseLog live, S3LeaseLog stale) {
        appendUpTo(live, "ns", 1, 5);
        assertThat(stale.latestAfter("ns", 0).orElseThrow().seq()).isEqualTo(5);
        appendUpTo(live, "ns", 6, 10);
        live.compactNow("ns");
    }

    @Test
    void a_sealed_generation_leaves_its_marker_and_the_first_record_and_numbers_continue() {
        try (S3LeaseLog log = open(FAST)) {
            appendUpTo(log, "ns", 1, 40);
            assertThat(log.compactNow("ns")).as("records 2 to 40 and the seal").isEqualTo(40);
            assertThat(objects("ns")).containsExactlyInAnyOrder("0000000000000000001.json", "gen/1", "g1/first");
            assertThat(log.append("ns", record(40, 99))).isFalse();
            appendUpTo(log, "ns", 41, 45);
        }
        try (S3LeaseLog cold = open(FAST)) {
            assertThat(cold.latestAfter("ns", 0).orElseThrow()).isEqualTo(record(45, 45));
            assertThat(cold.latestAfter("ns", 44).orElseThrow().seq()).isEqualTo(45);
            assertThat(cold.latestAfter("ns", 45)).isEmpty();
            assertThat(cold.compactNow("ns")).isEqualTo(7);
            assertThat(cold.latestAfter("ns", 0).orElseThrow().seq()).isEqualTo(45);
            assertThat(objects("ns")).hasSize(4);
        }
    }

    @Test
    void a_reader_that_knew_an_old_generation_finds_the_newest_record() {
        try (S3LeaseLog reader = open(FAST);
                S3LeaseLog writer = open(FAST)) {
            appendUpTo(writer, "ns", 1, 10);
            assertThat(reader.latestAfter("ns", 0).orElseThrow().seq()).isEqualTo(10);
            writer.compactNow("ns");
            appendUpTo(writer, "ns", 11, 12);
            writer.compactNow("ns");
            assertThat(reader.latestAfter("ns", 10).orElseThrow()).isEqualTo(record(12, 12));
        }
    }

    @Test
    void a_writer_paused_across_a_compaction_never_wins_a_number_again() {
        try (S3LeaseLog live = open(FAST);
                S3LeaseLog stale = open(FAST)) {
            pauseAcrossCompaction(live, stale);
            Throwable late = catchThrowable(
                    () -> assertThat(stale.append("ns", record(6, 60))).isFalse());
            if (late != null) {
                assertThat(late).isInstanceOf(StoreUnavailableException.class);
            }
            assertThat(live.latestAfter("ns", 0).orElseThrow()).isEqualTo(record(10, 10));
            assertThat(stale.latestAfter("ns", 5).orElseThrow()).isEqualTo(record(10, 10));
        }
    }

    @Test
    void without_the_seal_check_the_paused_writer_wins_a_deleted_number_again() {
        try (S3LeaseLog live = open(FAST);
                S3LeaseLog stale = open(FAST.withoutSealChecks())) {
            pauseAcrossCompaction(live, stale);
            assertThat(stale.append("ns", record(6, 60)))
                    .as("the hazard the check prevents: record 6 won twice")
                    .isTrue();
        }
    }

    @Test
    void a_write_no_copy_holds_is_written_again_in_the_new_generation() {
        try (S3LeaseLog compactor = open(FAST);
                S3LeaseLog writer = open(FAST)) {
            appendUpTo(writer, "ns", 1, 8);
            compactor.compactNow("ns"); // copies 8; the writer still believes generation 0 is open
            assertThat(writer.append("ns", record(9, 9))).isTrue();
            assertThat(compactor.latestAfter("ns", 8).orElseThrow()).isEqualTo(record(9, 9));
            assertThat(objects("ns")).contains("g1/0000000000000000009.json");
        }
    }

    @Test
    void a_writer_whose_next_number_is_the_seal_moves_to_the_new_generation() throws Exception {
        CompactionSettings slowDelete = FAST.withTimes(Duration.ofSeconds(2), Duration.ofSeconds(60));
        try (S3LeaseLog compactor = open(slowDelete);
                S3LeaseLog writer = open(slowDelete)) {
            appendUpTo(writer, "ns", 1, 8);
            var compaction = java.util.concurrent.CompletableFuture.supplyAsync(() -> compactor.compactNow("ns"));
            for (int i = 0; i < 200 && !objects("ns").contains("gen/1"); i++) {
                Thread.sleep(10);
            }
            assertThat(objects("ns")).contains("0000000000000000009.json", "gen/1");
            assertThat(writer.append("ns", record(9, 9)))
                    .as("written past the seal")
                    .isTrue();
            assertThat(compaction.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(8);
            assertThat(compactor.latestAfter("ns", 8).orElseThrow()).isEqualTo(record(9, 9));
            assertThat(objects("ns")).contains("g1/0000000000000000009.json");
        }
    }

    @Test
    void an_idle_namespace_is_sealed_by_the_sweep() throws Exception {
        CompactionSettings idleSoon = FAST.withEvery(1_000).withTimes(Duration.ofMillis(300), Duration.ofMillis(400));
        try (S3LeaseLog log = open(idleSoon)) {
            appendUpTo(log, "ns", 1, 20);
            for (int i = 0; i < 500 && objects("ns").size() > 3; i++) {
                Thread.sleep(20);
            }
            assertThat(objects("ns")).containsExactlyInAnyOrder("0000000000000000001.json", "gen/1", "g1/first");
            assertThat(log.latestAfter("ns", 0).orElseThrow()).isEqualTo(record(20, 20));
        }
    }

    @Test
    void every_n_records_a_generation_is_sealed_by_itself() {
        try (S3LeaseLog log = open(FAST.withEvery(8))) {
            for (int round = 0; round < 4; round++) {
                appendUpTo(log, "ns", round * 8L + 1, round * 8L + 8);
                assertThat(log.awaitCompactions(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(log.latestAfter("ns", 0).orElseThrow().seq()).isEqualTo(32);
            // record 1, a marker per generation sealed, and the newest generation's first record
            assertThat(objects("ns")).hasSize(1 + 4 + 1);
        }
    }

    /** The stale writer reads record 5; the live one wins 6 to 10 and retires the namespace, deleting it all. */
    private static void pauseAcrossRetirement(S3LeaseLog live, S3LeaseLog stale) {
        appendUpTo(live, "ns", 1, 5);
        assertThat(stale.latestAfter("ns", 0).orElseThrow().seq()).isEqualTo(5);
        appendUpTo(live, "ns", 6, 10);
        assertThat(live.retireNow("ns")).as("records 1 to 10 and the seal").isEqualTo(11);
    }

    @Test
    void a_retired_namespace_leaves_nothing_and_its_numbers_and_tokens_continue() {
        try (S3LeaseLog log = open(FAST)) {
            appendUpTo(log, "ns", 1, 10);
            assertThat(log.retireNow("ns")).isEqualTo(11);
            assertThat(objects("ns")).isEmpty();
            assertThat(log.latestAfter("ns", 0).orElseThrow()).isEqualTo(new LeaseRecord(11, 10, 0, List.of()));
        }
        try (S3LeaseLog cold = open(FAST)) {
            assertThat(cold.latestAfter("ns", 0).orElseThrow()).isEqualTo(new LeaseRecord(11, 10, 0, List.of()));
            assertThat(cold.append("ns", record(11, 99))).isFalse();
            appendUpTo(cold, "ns", 12, 14);
            assertThat(cold.retireNow("ns")).as("records 12 to 14 and the seal").isEqualTo(4);
            assertThat(objects("ns")).isEmpty();
            assertThat(cold.latestAfter("ns", 0).orElseThrow()).isEqualTo(new LeaseRecord(15, 14, 0, List.of()));
        }
    }

    @Test
    void a_writer_paused_across_a_retirement_never_counts_its_create() {
        try (S3LeaseLog live = open(FAST);
                S3LeaseLog stale = open(FAST)) {
            pauseAcrossRetirement(live, stale);
            assertThat(stale.append("ns", record(6, 60))).isFalse();
            assertThat(stale.latestAfter("ns", 5).orElseThrow()).isEqualTo(new LeaseRecord(11, 10, 0, List.of()));
            assertThat(live.latestAfter("ns", 0).orElseThrow().seq()).isEqualTo(11);
        }
    }

    @Test
    void a_reader_paused_across_a_retirement_never_sees_the_namespace_empty() {
        try (S3LeaseLog live = open(FAST);
                S3LeaseLog stale = open(FAST)) {
            assertThat(stale.latestAfter("fresh", 0)).isEmpty();
            appendUpTo(live, "fresh", 1, 3);
            live.retireNow("fresh");
            assertThat(stale.append("fresh", record(1, 1))).as("record 1 again").isFalse();
            assertThat(stale.latestAfter("fresh", 0).orElseThrow()).isEqualTo(new LeaseRecord(4, 3, 0, List.of()));
        }
    }

    @Test
    void without_the_retirement_check_the_paused_writer_wins_a_deleted_number_again() {
        try (S3LeaseLog live = open(FAST);
                S3LeaseLog stale = open(FAST.withoutRetireChecks())) {
            pauseAcrossRetirement(live, stale);
            assertThat(stale.append("ns", record(6, 60)))
                    .as("the hazard the check prevents: record 6 won twice")
                    .isTrue();
        }
    }
}
