package dev.lockbroker.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.core.StoreUnavailableException;
import dev.lockbroker.support.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store going away and coming back under one live {@link S3LeaseLog}, and a client that keeps
 * working after many refused creates. The elapsed-time checks are upper bounds the SDK's call
 * timeout enforces (plus a generous grace for a loaded machine), not speed claims.
 */
class S3LeaseLogOutageTest {
    private static final Duration GRACE = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;

    private S3ProxyServer server;
    private S3LeaseLog log;

    @BeforeEach
    void start() {
        server = S3ProxyServer.start(dataDir);
        log = S3LeaseLog.open(server.settings(), S3ProxyServer.CREDENTIALS);
    }

    @AfterEach
    void stop() {
        log.close();
        server.close();
    }

    private static LeaseRecord record(long seq, long token) {
        return new LeaseRecord(seq, token, 1_700_000_000_000L, List.of());
    }

    private void failsUnavailableWithinCallTimeout(Executable call) {
        long started = System.nanoTime();
        assertThatThrownBy(call::execute).isInstanceOf(StoreUnavailableException.class);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(elapsed).isLessThan(server.settings().callTimeout().plus(GRACE));
    }

    @Test
    void a_client_keeps_working_after_hundreds_of_lost_creates_on_one_key() {
        assertThat(log.append("contended", record(1, 1))).isTrue();
        int lost = 0;
        for (int attempt = 0; attempt < 520; attempt++) {
            lost += log.append("contended", record(1, 1_000 + attempt)) ? 0 : 1;
        }
        assertThat(lost).isEqualTo(520);
        for (long seq = 2; seq <= 20; seq++) {
            assertThat(log.append("contended", record(seq, seq))).isTrue();
            assertThat(log.latestAfter("contended", seq - 1).orElseThrow().seq())
                    .isEqualTo(seq);
        }
        assertThat(log.latestAfter("contended", 0).orElseThrow().lastToken()).isEqualTo(20);
    }

    @Test
    void a_stopped_store_is_unavailable_and_the_same_client_recovers_on_restart() {
        assertThat(log.append("outage", record(1, 1))).isTrue();
        server.stop();

        failsUnavailableWithinCallTimeout(() -> log.append("outage", record(2, 2)));
        failsUnavailableWithinCallTimeout(() -> log.latestAfter("outage", 0));
        failsUnavailableWithinCallTimeout(log::checkReachable);

        server.restart();
        log.checkReachable();
        assertThat(log.latestAfter("outage", 0).orElseThrow().seq()).isEqualTo(1);
        assertThat(log.append("outage", record(2, 2))).isTrue();
        assertThat(log.latestAfter("outage", 1).orElseThrow().seq()).isEqualTo(2);
    }

    @Test
    void a_store_that_accepts_but_never_answers_times_out_as_unavailable() throws IOException {
        assertThat(log.append("hung", record(1, 1))).isTrue();
        server.stop();
        // The kernel completes connections into the backlog; nobody ever reads or answers them.
        ServerSocket silent = new ServerSocket(server.port(), 50, InetAddress.getLoopbackAddress());
        try {
            failsUnavailableWithinCallTimeout(() -> log.append("hung", record(2, 2)));
            failsUnavailableWithinCallTimeout(() -> log.latestAfter("hung", 0));
            failsUnavailableWithinCallTimeout(log::checkReachable);
        } finally {
            silent.close();
        }
        server.restart();
        assertThat(log.append("hung", record(2, 2))).isTrue();
    }
}
