package dev.lockbroker.store.s3;

import dev.lockbroker.support.S3Backend;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The compaction contract on S3Proxy in-process. */
class S3CompactionTest extends CompactionContract {
    @TempDir
    static Path dataDir;

    private static S3ProxyServer server;

    @BeforeAll
    static void startStore() {
        server = S3ProxyServer.start(dataDir);
    }

    @AfterAll
    static void stopStore() {
        server.close();
    }

    @Override
    protected S3Backend backend() {
        return server;
    }
}
