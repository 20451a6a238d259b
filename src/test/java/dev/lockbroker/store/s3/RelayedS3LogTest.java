package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseRecord;
import dev.lockbroker.support.ForwardingS3Proxy;
import dev.lockbroker.support.S3ProxyPerClass;
import dev.lockbroker.support.S3ProxyServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store under test reached through a counting, fault-injecting relay in front of S3Proxy; one
 * per test class, with the relay's counts reset before each test.
 */
abstract class RelayedS3LogTest {
    @RegisterExtension
    static final S3ProxyPerClass s3 = new S3ProxyPerClass();

    static ForwardingS3Proxy relay;
    static S3LeaseLog log;

    @BeforeAll
    static void start() {
        relay = ForwardingS3Proxy.start(s3.server().endpoint());
        log = S3LeaseLog.open(s3.server().settings().withEndpoint(relay.endpoint()), S3ProxyServer.CREDENTIALS);
    }

    @AfterAll
    static void stop() {
        log.close();
        relay.close();
    }

    @BeforeEach
    void resetCounts() {
        relay.resetCounts();
    }

    static LeaseRecord record(long seq, long lastToken) {
        return new LeaseRecord(seq, lastToken, 1_700_000_000_000L, List.of());
    }
}
