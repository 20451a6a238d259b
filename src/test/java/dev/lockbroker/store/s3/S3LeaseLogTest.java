package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.support.S3ProxyPerClass;
import dev.lockbroker.support.S3ProxyServer;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract against S3Proxy in-process; each test writes under a prefix of its own. */
class S3LeaseLogTest extends LeaseLogContract {
    @RegisterExtension
    static final S3ProxyPerClass s3 = new S3ProxyPerClass();

    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = "contract-" + UUID.randomUUID() + "/";
    }

    @Override
    protected LeaseLog openLog() {
        return S3LeaseLog.open(s3.server().settings().withPrefix(prefix), S3ProxyServer.CREDENTIALS);
    }
}
