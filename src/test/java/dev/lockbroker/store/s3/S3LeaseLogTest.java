package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against S3Proxy in-process; each test writes under a prefix of its own. */
class S3LeaseLogTest extends LeaseLogContract {
    @TempDir
    static Path dataDir;

    private static S3ProxyServer server;

    private String prefix;

    @BeforeAll
    static void startStore() {
        server = S3ProxyServer.start(dataDir);
    }

    @AfterAll
    static void stopStore() {
        server.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "contract-" + UUID.randomUUID() + "/";
    }

    @Override
    protected LeaseLog openLog() {
        return S3LeaseLog.open(server.settings().withPrefix(prefix), S3ProxyServer.CREDENTIALS);
    }
}
