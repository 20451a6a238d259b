package dev.lockbroker.s3broker;

import dev.lockbroker.support.S3Backend;
import java.nio.file.Path;

/** {@link S3BrokerCrash} on Ceph RGW (the JVM's shared single-node cluster); skipped, with the reason, where Ceph is not installed. */
class S3BrokerCrashCephTest extends S3BrokerCrash {
    @Override
    S3Backend backend(Path dataDir) {
        return CephSuites.cephOrSkip();
    }
}
