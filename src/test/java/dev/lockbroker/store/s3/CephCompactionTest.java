package dev.lockbroker.store.s3;

import dev.lockbroker.support.CephRgw;
import dev.lockbroker.support.S3Backend;
import org.junit.jupiter.api.Assumptions;

/** The compaction contract on Ceph RGW (the JVM's shared cluster); skipped, with the reason, without Ceph. */
class CephCompactionTest extends CompactionContract {
    @Override
    protected S3Backend backend() {
        var shared = CephRgw.shared();
        Assumptions.assumeTrue(shared.isPresent(), CephRgw::whyUnavailable);
        return shared.orElseThrow();
    }
}
