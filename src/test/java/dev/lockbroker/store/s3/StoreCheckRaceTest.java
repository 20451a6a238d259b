package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3MockServer;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check refuses stores that check, then write: each passes the sequential probe (a
 * second create-only PUT gets 412) and fails the race (several of 16 simultaneous creates win).
 */
class StoreCheckRaceTest {
    @TempDir
    Path dir;

    @Test
    void s3mock_is_refused_at_start() throws Exception {
        try (S3MockServer s3mock = S3MockServer.start(dir)) {
            assertThatThrownBy(() -> s3mock.openLog("refused").close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("racing create-only PUTs");
        }
    }

    @Test
    void a_relay_that_checks_then_writes_is_refused_at_start() {
        try (S3ProxyServer server = S3ProxyServer.start(dir);
                ForwardingS3Proxy relay = ForwardingS3Proxy.startCheckThenWrite(server.endpoint())) {
            assertThatThrownBy(() -> S3LeaseLog.open(
                                    patient(server).withEndpoint(relay.endpoint()), S3ProxyServer.CREDENTIALS)
                            .close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("racing create-only PUTs");
            assertThat(relay.requests("HEAD"))
                    .as("the relay checked before writing")
                    .isPositive();
        }
    }

    /** A call budget no loaded machine exceeds, so a slow answer is not mistaken for the verdict. */
    private static S3Settings patient(S3ProxyServer server) {
        return server.settings().withCallTimeout(Duration.ofSeconds(30));
    }

    @Test
    void a_store_that_serializes_creates_passes() {
        try (S3ProxyServer server = S3ProxyServer.start(dir)) {
            S3LeaseLog.open(patient(server).withPrefix("accepted"), S3ProxyServer.CREDENTIALS)
                    .close();
        }
    }
}
