package dev.lockbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockbroker.client.BrokerRejectedException;
import dev.lockbroker.client.BrokerUnavailableException;
import dev.lockbroker.client.LeaseLostException;
import dev.lockbroker.client.LockTimeoutException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
    @Test
    void maps_each_failure_to_its_documented_code() {
        assertThat(ExitCodes.forFailure(new LockTimeoutException("timed_out", "m", List.of())))
                .isEqualTo(76);
        assertThat(ExitCodes.forFailure(new LockTimeoutException("busy", "m", List.of())))
                .isEqualTo(75);
        assertThat(ExitCodes.forFailure(new LeaseLostException("l", "expired", "m", null)))
                .isEqualTo(74);
        assertThat(ExitCodes.forFailure(new BrokerUnavailableException(URI.create("http://x"), "m", null)))
                .isEqualTo(69);
        assertThat(ExitCodes.forFailure(new BrokerRejectedException(410, "ticket_ended", "m")))
                .isEqualTo(74);
        assertThat(ExitCodes.forFailure(new BrokerRejectedException(401, "unauthorized", "m")))
                .isEqualTo(1);
        assertThat(ExitCodes.forFailure(new BrokerRejectedException(404, "not_found", "m")))
                .isEqualTo(1);
        assertThat(ExitCodes.forFailure(new IllegalArgumentException("m"))).isEqualTo(64);
        assertThat(ExitCodes.forFailure(new IllegalStateException("m"))).isEqualTo(1);
    }

    @Test
    void a_signal_death_is_128_plus_its_number() {
        assertThat(ExitCodes.forSignal(2)).isEqualTo(130);
        assertThat(ExitCodes.forSignal(15)).isEqualTo(143);
    }
}
