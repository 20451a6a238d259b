package dev.lockbroker.store.s3;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.store.LeaseLogContract;
import dev.lockbroker.support.CephRgw;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store contract against Ceph RGW, a production S3 server (the JVM's shared single-node
 * cluster); skipped, with the reason, where Ceph is not installed. Each test writes under a prefix
 * of its own.
 */
class CephLeaseLogTest extends LeaseLogContract {
    private CephRgw ceph;
    private String prefix;

    @BeforeEach
    void freshPrefix() {
        var shared = CephRgw.shared();
        Assumptions.assumeTrue(shared.isPresent(), CephRgw::whyUnavailable);
        ceph = shared.orElseThrow();
        prefix = "contract-" + UUID.randomUUID();
    }

    @Override
    protected LeaseLog openLog() {
        return ceph.openLog(prefix);
    }
}
