package dev.lockbroker.s3broker;

import dev.lockbroker.support.S3Backend;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link TwoBrokersOneBucket} on S3Proxy in-process. */
class TwoBrokersOneBucketTest extends TwoBrokersOneBucket {
    @TempDir
    Path dir;

    private S3ProxyServer server;

    @Override
    S3Backend backend() {
        server = S3ProxyServer.start(dir);
        return server;
    }

    @Override
    void release() {
        if (server != null) {
            server.close();
        }
    }
}
