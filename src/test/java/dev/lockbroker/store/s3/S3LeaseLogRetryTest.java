package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.StoreUnavailableException;
import org.junit.jupiter.api.Test;

/** How an append rides out failed attempts, with faults injected between the client and S3Proxy. */
class S3LeaseLogRetryTest extends RelayedS3LogTest {

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
