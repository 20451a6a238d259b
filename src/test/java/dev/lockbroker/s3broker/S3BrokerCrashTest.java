package dev.lockbroker.s3broker;

import dev.lockbroker.support.S3Backend;
import dev.lockbroker.support.S3ProxyServer;
import java.nio.file.Path;

/** {@link S3BrokerCrash} on S3Proxy in-process. */
class S3BrokerCrashTest extends S3BrokerCrash {
    private S3ProxyServer server;

    @Override
    S3Backend backend(Path dataDir) {
        server = S3ProxyServer.start(dataDir);
        return server;
    }

    @Override
    void release() {
        if (server != null) {
            server.close();
        }
    }
}
