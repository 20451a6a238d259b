package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.core.LeaseRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each store call costs in S3 requests, and what those requests look like on the wire. */
class S3LeaseLogRequestsTest extends RelayedS3LogTest {

    private static LeaseRecord record(long seq) {
        return record(seq, seq);
    }

    private static void appendUpTo(String namespace, long last) {
        for (long seq = 1; seq <= last; seq++) {
            assertThat(log.append(namespace, record(seq))).isTrue();
        }
    }

    @Test
    void a_namespace_with_nothing_newer_costs_one_request() {
        appendUpTo("quiet", 3);
        relay.resetCounts();
        assertThat(log.latestAfter("quiet", 3)).isEmpty();
        assertThat(log.latestAfter("never-written", 0)).isEmpty();
        assertThat(relay.requests()).isEqualTo(2);
    }

    @Test
    void one_newer_record_costs_two_requests() {
        appendUpTo("one-behind", 4);
        relay.resetCounts();
        assertThat(log.latestAfter("one-behind", 3).orElseThrow().seq()).isEqualTo(4);
        assertThat(relay.requests()).isEqualTo(2);
    }

    @Test
    void a_cold_read_of_a_long_log_lists_nothing_and_probes_logarithmically() {
        appendUpTo("long", 300);
        relay.resetCounts();
        assertThat(log.latestAfter("long", 0).orElseThrow().seq()).isEqualTo(300);
        // GET 1, HEAD 2..512 (9 galloping probes), about 8 bisecting HEADs, GET 300.
        assertThat(relay.requests()).isLessThanOrEqualTo(20);
        assertThat(relay.requests("HEAD") + relay.requests("GET")).isEqualTo(relay.requests());
    }

    @Test
    void the_logs_own_request_counts_match_what_the_relay_saw() {
        appendUpTo("counted", 3);
        relay.resetCounts();
        var counts = log.requestCounts();
        long putsBefore = counts.get("put").getAsLong();
        long getsBefore = counts.get("get").getAsLong();
        long headsBefore = counts.get("head").getAsLong();
        appendUpTo("counted-too", 2);
        assertThat(log.latestAfter("counted", 0)).isPresent();
        assertThat(log.append("counted", new LeaseRecord(3, 99, 1_700_000_000_001L, List.of())))
                .as("lost: a PUT and a GET")
                .isFalse();

        assertThat(counts.get("put").getAsLong() - putsBefore).isEqualTo(relay.requests("PUT"));
        assertThat(counts.get("get").getAsLong() - getsBefore).isEqualTo(relay.requests("GET"));
        assertThat(counts.get("head").getAsLong() - headsBefore).isEqualTo(relay.requests("HEAD"));
        assertThat(relay.requests("PUT")).isEqualTo(3);
    }

    @Test
    void an_append_is_one_plain_conditional_put() {
        assertThat(log.append("wire", record(1))).isTrue();
        assertThat(relay.requests("PUT")).isEqualTo(1);
        assertThat(relay.requests()).isEqualTo(1);
        assertThat(relay.requestsCarrying("If-None-Match")).isEqualTo(1);
        assertThat(relay.requestsCarrying("Expect"))
                .as("no 100-continue handshake")
                .isZero();
        assertThat(relay.requestsCarrying("x-amz-trailer"))
                .as("no trailing checksum")
                .isZero();
        assertThat(relay.requestsCarrying("x-amz-decoded-content-length"))
                .as("no aws-chunked body")
                .isZero();
        assertThat(relay.requestsCarrying("If-Match")).isZero();
    }

    @Test
    void a_lost_append_reads_the_winner_once_and_deletes_nothing() {
        assertThat(log.append("lost", record(1))).isTrue();
        relay.resetCounts();
        assertThat(log.append("lost", new LeaseRecord(1, 99, 1_700_000_000_001L, List.of())))
                .isFalse();
        assertThat(relay.requests("PUT")).isEqualTo(1);
        assertThat(relay.requests("GET")).isEqualTo(1);
        assertThat(relay.requests("DELETE")).isZero();
    }

    @Test
    void an_append_whose_retry_meets_its_own_record_is_reported_won() {
        // What a retried PUT sees when its first attempt landed: its own bytes already stored.
        LeaseRecord mine = record(1);
        assertThat(log.append("retried", mine)).isTrue();
        assertThat(log.append("retried", mine)).isTrue();
        assertThat(log.append("retried", new LeaseRecord(1, 2, 1_700_000_000_000L, List.of())))
                .isFalse();
    }
}
