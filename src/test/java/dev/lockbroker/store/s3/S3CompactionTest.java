package dev.lockbroker.store.s3;

import dev.lockbroker.support.S3Backend;
import dev.lockbroker.support.S3ProxyPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The compaction contract on S3Proxy in-process. */
class S3CompactionTest extends CompactionContract {
    @RegisterExtension
    static final S3ProxyPerClass s3 = new S3ProxyPerClass();

    @Override
    protected S3Backend backend() {
        return s3.server();
    }
}
