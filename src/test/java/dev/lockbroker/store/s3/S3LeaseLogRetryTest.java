package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an append rides out failed attempts, with faults injected between the client and S3Proxy. */
class S3LeaseLogRetryTest {
    @TempDir
    static Path dataDir;

    private static S3ProxyServer server;
    private static ForwardingS3Proxy relay;
    private static S3LeaseLog log;

    @BeforeAll
    static void start() {
        server = S3ProxyServer.start(dataDir);
        relay = ForwardingS3Proxy.start(server.endpoint());
        log = S3LeaseLog.open(server.settings().withEndpoint(relay.endpoint()), S3ProxyServer.CREDENTIALS);
    }

    @AfterAll
    static void stop() {
        log.close();
        relay.close();
        server.close();
    }

    @BeforeEach
    void resetCounts() {
        relay.resetCounts();
    }

    private static LeaseRecord record(long seq, long token) {
        return new LeaseRecord(seq, token, 1_700_000_000_000L, List.of());
    }

    @Test
    void server_errors_on_a_create_are_retried() {
        relay.refuseNextPuts(2, 500, "InternalError");
        assertThat(log.append("five-hundred", record(1, 1))).isTrue();
        assertThat(relay.requests("PUT")).isEqualTo(3);
    }

    @Test
    void a_conditional_request_conflict_is_retried_not_read_as_a_loss() {
        relay.refuseNextPuts(1, 409, "ConditionalRequestConflict");
        assertThat(log.append("conflict", record(1, 1))).isTrue();
        assertThat(relay.requests("PUT")).isEqualTo(2);
    }

    @Test
    void retries_are_bounded_and_end_unavailable() {
        relay.refuseNextPuts(S3Clients.MAX_ATTEMPTS, 500, "InternalError");
        assertThatThrownBy(() -> log.append("bounded", record(1, 1))).isInstanceOf(StoreUnavailableException.class);
        assertThat(relay.requests("PUT")).isEqualTo(S3Clients.MAX_ATTEMPTS);
        assertThat(log.append("bounded", record(1, 1))).isTrue();
    }

    @Test
    void a_create_whose_answer_was_lost_is_still_reported_won() {
        relay.loseNextPutAnswers(1);
        assertThat(log.append("answer-lost", record(1, 7))).isTrue();
        assertThat(relay.requests("PUT"))
                .as("first attempt landed, the retry met it")
                .isEqualTo(2);
        assertThat(log.latestAfter("answer-lost", 0).orElseThrow().lastToken()).isEqualTo(7);
    }

    @Test
    void a_create_whose_answer_was_lost_behind_another_winner_is_reported_lost() {
        assertThat(log.append("other-won", record(1, 1))).isTrue();
        relay.loseNextPutAnswers(1);
        assertThat(log.append("other-won", record(1, 2))).isFalse();
        assertThat(log.latestAfter("other-won", 0).orElseThrow().lastToken()).isEqualTo(1);
    }
}
