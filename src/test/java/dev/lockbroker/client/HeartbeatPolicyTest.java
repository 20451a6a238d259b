package dev.lockbroker.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeartbeatPolicyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void validity_counts_from_the_send_time_less_a_quarter_of_the_ttl() {
        HeartbeatPolicy policy = HeartbeatPolicy.forTtl(Duration.ofSeconds(2));

        assertThat(policy.validUntil(10 * SECOND)).isEqualTo(10 * SECOND + 2 * SECOND - SECOND / 2);
        assertThat(policy.intervalNanos()).isEqualTo(2 * SECOND / 3);
    }

    @Test
    void the_margin_is_capped_at_ten_seconds_for_long_ttls() {
        HeartbeatPolicy policy = HeartbeatPolicy.forTtl(Duration.ofHours(1));

        assertThat(policy.marginNanos()).isEqualTo(10 * SECOND);
        assertThat(policy.retryNanos()).isEqualTo(SECOND);
    }

    @Test
    void a_stopped_child_is_killed_in_the_first_half_of_the_margin() {
        HeartbeatPolicy policy = HeartbeatPolicy.forTtl(Duration.ofSeconds(30));

        assertThat(policy.stopGraceNanos()).isLessThan(policy.marginNanos());
        assertThat(policy.validUntil(0) + policy.stopGraceNanos()).isLessThan(policy.ttlNanos());
    }

    @Test
    void the_next_heartbeat_comes_well_before_validity_ends() {
        for (long ttlSeconds : new long[] {1, 2, 3, 30, 600, 3600}) {
            HeartbeatPolicy policy = HeartbeatPolicy.forTtl(Duration.ofSeconds(ttlSeconds));
            assertThat(policy.intervalNanos()).as("ttl %ds", ttlSeconds).isLessThan(policy.validUntil(0));
        }
    }
}
